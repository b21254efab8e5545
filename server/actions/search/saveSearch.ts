// Saved searches: a user keeps a table's search under a name (their own; nobody else sees it).
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nameFree, refuseWhen } from '../../validators/reasons.ts';
import { SearchError } from '../../search/searchQuery.ts';
import { searchWhere } from '../../search/searchWhere.ts';
import { SEARCH_TABLE_NAMES, SEARCH_TABLES, type SearchTableName } from '../../search/searchTables.ts';

/** Why a search cannot be saved: its error, or null when it parses. */
function searchProblem(table: SearchTableName, query: string): string | null {
  try {
    searchWhere(SEARCH_TABLES[table] as Parameters<typeof searchWhere>[0], query);
    return null;
  } catch (e) {
    if (e instanceof SearchError) return e.message;
    throw e;
  }
}

export const saveSearch = defineAction({
  type: 'AddSavedSearch',
  title: 'save search',
  actionGroup: 'LOGIN',
  subject: () => SYSTEM,
  params: z.object({
    table: z
      .enum(SEARCH_TABLE_NAMES as [SearchTableName, ...SearchTableName[]])
      .meta({ graphql: 'SearchTable' })
      .describe('The table the search is for.'),
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters')
      .describe('Unique among your searches of the table.'),
    query: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(512, 'must be at most 512 characters')
      .describe('The search, e.g. "status=up tag=db".'),
  }),
  locks: (p) => [lockKey('SavedSearchName', `${p.table}/${p.name}`)],
  async validate({ tx, actor }, p) {
    const problem = searchProblem(p.table, p.query);
    const taken = await tx.savedSearch.count({ where: { userId: actor.userId ?? '', table: p.table, name: p.name } });
    return [
      refuseWhen(!actor.userId, 'SAVED_SEARCH_NEEDS_USER', 'Only a logged-in user saves searches.'),
      refuseWhen(problem !== null, 'SEARCH_INVALID', problem ?? ''),
      nameFree(taken > 0, 'Saved Search', p.name, 'your searches'),
    ];
  },
  execute: ({ tx, actor }, p) => tx.savedSearch.create({ data: { ...p, userId: actor.userId! } }),
  audit: (s) => ({ code: 'USER_ADD_SAVED_SEARCH', vars: { searchName: s.name } }),
  api: {
    mutation: 'saveSearch',
    description: "Save a table's search under a name, for yourself.",
    payload: { field: 'savedSearch', type: 'SavedSearch' },
  },
});
