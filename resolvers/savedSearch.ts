import { builder } from '../schema/builder.ts';
import { SearchTable } from '../schema/types/savedSearch.ts';

builder.queryFields((t) => ({
  savedSearches: t.prismaField({
    type: ['SavedSearch'],
    description: 'Your saved searches (of one table when given), by name.',
    args: { table: t.arg({ type: SearchTable, required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.savedSearch.findMany({
        ...query,
        where: { userId: ctx.actor.userId ?? '', table: args.table ?? undefined },
        orderBy: { name: 'asc' },
      }),
  }),
}));
