import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { DataCenterStatus, SortDirection } from '../schema/types/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('DataCenterFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    status: t.field({ type: [DataCenterStatus], required: false }),
  }),
});
const SortField = builder.enumType('DataCenterSortField', {
  values: { NAME: { value: 'name' }, STATUS: { value: 'status' }, CREATED_AT: { value: 'createdAt' } } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.DataCenterWhereInput {
  return { name: contains(f?.nameContains), status: f?.status ? { in: f.status } : undefined };
}

builder.queryFields((t) => ({
  dataCenters: t.prismaConnection({
    type: 'DataCenter',
    cursor: 'id',
    args: {
      filter: t.arg({ type: Filter, required: false }),
      sortBy: t.arg({ type: SortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.dataCenter.findMany({
        ...query,
        where: and(where(args.filter), visible.dataCenter(await ctx.visibility())),
        orderBy: orderBy(args.sortBy, args.direction, 'name'),
      }),
    totalCount: async (_c, args, ctx) =>
      ctx.db.dataCenter.count({ where: and(where(args.filter), visible.dataCenter(await ctx.visibility())) }),
  }),
}));
