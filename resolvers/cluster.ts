import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { SortDirection } from '../schema/types/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('ClusterFilter', {
  fields: (t) => ({ nameContains: t.string({ required: false, validate: searchText }), dataCenter: t.id({ required: false }) }),
});
const SortField = builder.enumType('ClusterSortField', {
  values: { NAME: { value: 'name' }, CREATED_AT: { value: 'createdAt' } } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.ClusterWhereInput {
  return { name: contains(f?.nameContains), dataCenterId: optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter') };
}

builder.queryFields((t) => ({
  clusters: t.prismaConnection({
    type: 'Cluster',
    cursor: 'id',
    args: {
      filter: t.arg({ type: Filter, required: false }),
      sortBy: t.arg({ type: SortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.cluster.findMany({
        ...query,
        where: and(where(args.filter), visible.cluster(await ctx.visibility())),
        orderBy: orderBy(args.sortBy, args.direction, 'name'),
      }),
    totalCount: async (_c, args, ctx) => ctx.db.cluster.count({ where: and(where(args.filter), visible.cluster(await ctx.visibility())) }),
  }),
}));
