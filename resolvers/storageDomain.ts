import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { SEARCH_FIELD, searched } from '../schema/search.ts';
import { STORAGE_DOMAIN_SEARCH } from '../server/search/storageDomainSearch.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { SortDirection, StorageDomainStatus, StorageDomainType } from '../schema/types/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('StorageDomainFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    search: t.string(SEARCH_FIELD),
    status: t.field({ type: [StorageDomainStatus], required: false }),
    domainType: t.field({ type: StorageDomainType, required: false }),
    dataCenter: t.id({ required: false }),
  }),
});
const SortField = builder.enumType('StorageDomainSortField', {
  values: {
    NAME: { value: 'name' },
    STATUS: { value: 'status' },
    CAPACITY: { value: 'capacityBytes' },
    USED: { value: 'usedBytes' },
  } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.StorageDomainWhereInput {
  return {
    AND: searched(STORAGE_DOMAIN_SEARCH, f?.search),
    name: contains(f?.nameContains),
    status: f?.status ? { in: f.status } : undefined,
    domainType: f?.domainType ?? undefined,
    dataCenterId: optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter'),
  };
}

builder.queryFields((t) => ({
  storageDomains: t.prismaConnection({
    type: 'StorageDomain',
    cursor: 'id',
    args: {
      filter: t.arg({ type: Filter, required: false }),
      sortBy: t.arg({ type: SortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.storageDomain.findMany({
        ...query,
        where: and(where(args.filter), visible.storageDomain(await ctx.visibility())),
        orderBy: orderBy(args.sortBy, args.direction, 'name'),
      }),
    totalCount: async (_c, args, ctx) =>
      ctx.db.storageDomain.count({ where: and(where(args.filter), visible.storageDomain(await ctx.visibility())) }),
  }),
}));
