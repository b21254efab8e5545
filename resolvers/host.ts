import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { SEARCH_FIELD, searched } from '../schema/search.ts';
import { HOST_SEARCH } from '../server/search/hostSearch.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { HostStatus, SortDirection } from '../schema/types/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('HostFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    search: t.string(SEARCH_FIELD),
    status: t.field({ type: [HostStatus], required: false }),
    cluster: t.id({ required: false }),
    dataCenter: t.id({ required: false }),
  }),
});
const SortField = builder.enumType('HostSortField', {
  values: {
    NAME: { value: 'name' },
    STATUS: { value: 'status' },
    MEMORY: { value: 'memoryMb' },
    CREATED_AT: { value: 'createdAt' },
  } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.HostWhereInput {
  const dataCenterId = optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter');
  return {
    AND: searched(HOST_SEARCH, f?.search),
    name: contains(f?.nameContains),
    status: f?.status ? { in: f.status } : undefined,
    clusterId: optionalLocalId(f?.cluster as string, 'Cluster', 'filter.cluster'),
    cluster: dataCenterId ? { dataCenterId } : undefined,
  };
}

builder.queryFields((t) => ({
  hosts: t.prismaConnection({
    type: 'Host',
    cursor: 'id',
    args: {
      filter: t.arg({ type: Filter, required: false }),
      sortBy: t.arg({ type: SortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.host.findMany({
        ...query,
        where: and(where(args.filter), visible.host(await ctx.visibility())),
        orderBy: orderBy(args.sortBy, args.direction, 'name'),
      }),
    totalCount: async (_c, args, ctx) => ctx.db.host.count({ where: and(where(args.filter), visible.host(await ctx.visibility())) }),
  }),
}));
