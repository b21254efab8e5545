import { builder } from '../builder.ts';
import { SEARCH_TABLE_NAMES, type SearchTableName } from '../../server/search/searchTables.ts';

export const SearchTable = builder.enumType('SearchTable', {
  values: SEARCH_TABLE_NAMES,
  description: 'A table that takes a search (`filter.search`).',
});

export const SavedSearchRef = builder.prismaNode('SavedSearch', {
  authScopes: (row, ctx) => row.userId === ctx.actor.userId,
  id: { field: 'id' },
  nullable: true,
  description: 'A search a user saved under a name for one table; only its user sees it.',
  fields: (t) => ({
    name: t.exposeString('name'),
    table: t.field({ type: SearchTable, resolve: (s) => s.table as SearchTableName }),
    query: t.exposeString('query', { description: 'The search, e.g. "status=up tag=db".' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
