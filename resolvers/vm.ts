import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { SEARCH_FIELD, searched } from '../schema/search.ts';
import { VM_SEARCH } from '../server/search/vmSearch.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { SortDirection, VmStatus } from '../schema/types/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('VmFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    search: t.string(SEARCH_FIELD),
    status: t.field({ type: [VmStatus], required: false }),
    cluster: t.id({ required: false }),
    host: t.id({ required: false }),
    dataCenter: t.id({ required: false }),
    highlyAvailable: t.boolean({ required: false }),
    template: t.id({ required: false, description: 'VMs made from this template.' }),
  }),
});
const SortField = builder.enumType('VmSortField', {
  values: {
    NAME: { value: 'name' },
    STATUS: { value: 'status' },
    MEMORY: { value: 'memoryMb' },
    CREATED_AT: { value: 'createdAt' },
  } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.VmWhereInput {
  const dataCenterId = optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter');
  return {
    AND: searched(VM_SEARCH, f?.search),
    name: contains(f?.nameContains),
    status: f?.status ? { in: f.status } : undefined,
    clusterId: optionalLocalId(f?.cluster as string, 'Cluster', 'filter.cluster'),
    hostId: optionalLocalId(f?.host as string, 'Host', 'filter.host'),
    cluster: dataCenterId ? { dataCenterId } : undefined,
    highlyAvailable: f?.highlyAvailable ?? undefined,
    templateId: optionalLocalId(f?.template as string, 'Template', 'filter.template'),
  };
}

builder.queryFields((t) => ({
  vms: t.prismaConnection({
    type: 'Vm',
    cursor: 'id',
    args: {
      filter: t.arg({ type: Filter, required: false }),
      sortBy: t.arg({ type: SortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.vm.findMany({
        ...query,
        where: and(where(args.filter), visible.vm(await ctx.visibility())),
        orderBy: orderBy(args.sortBy, args.direction, 'name'),
      }),
    totalCount: async (_c, args, ctx) => ctx.db.vm.count({ where: and(where(args.filter), visible.vm(await ctx.visibility())) }),
  }),
}));
