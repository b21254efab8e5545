// The tables that take a search (`filter.search`), by the name saved searches give them.
import { HOST_SEARCH } from './hostSearch.ts';
import { STORAGE_DOMAIN_SEARCH } from './storageDomainSearch.ts';
import { TEMPLATE_SEARCH } from './templateSearch.ts';
import { USER_SEARCH } from './userSearch.ts';
import { VM_SEARCH } from './vmSearch.ts';

export const SEARCH_TABLES = {
  VMS: VM_SEARCH,
  HOSTS: HOST_SEARCH,
  STORAGE_DOMAINS: STORAGE_DOMAIN_SEARCH,
  TEMPLATES: TEMPLATE_SEARCH,
  USERS: USER_SEARCH,
} as const;
export type SearchTableName = keyof typeof SEARCH_TABLES;
export const SEARCH_TABLE_NAMES = Object.keys(SEARCH_TABLES) as SearchTableName[];
