// A table's `filter.search` as a condition; what is wrong with it is bad input naming the field.
import { InputError } from '../server/errors.ts';
import { searchQuery } from './inputs.ts';
import { SearchError } from '../server/search/searchQuery.ts';
import { searchWhere, type SearchTable } from '../server/search/searchWhere.ts';

export function searched<W extends object>(table: SearchTable<W>, text: string | null | undefined): W | undefined {
  if (!text) return undefined;
  try {
    return searchWhere(table, text);
  } catch (e) {
    if (e instanceof SearchError) throw new InputError([{ path: 'filter.search', message: e.message }]);
    throw e;
  }
}

/** The options of a filter's `search` field (`search: t.string(SEARCH_FIELD)`). */
export const SEARCH_FIELD = {
  required: false,
  validate: searchQuery,
  description: "A search in the tables' syntax, e.g. `status=up cluster=prod name=web* tag=db` (README, Search).",
} as const;
