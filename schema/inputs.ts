import { z } from 'zod';

/** A substring to search names for (checked by the validation plugin). */
export const searchText = z.string().max(128, 'search text is at most 128 characters');

/** A search in the tables' syntax (server/search/searchQuery.ts). */
export const searchQuery = z.string().max(512, 'a search is at most 512 characters');
