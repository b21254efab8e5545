import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { HostRef } from '../schema/types/host.ts';
import { HostStatus, SortDirection } from '../schema/types/enums.ts';
import { addHost, removeHost, updateHost } from '../server/actions/host/hostActions.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('HostFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    status: t.field({ type: [HostStatus], required: false }),
    cluster: t.id({ required: false }),
    dataCenter: t.id({ required: false }),
  }),
});
const SortField = builder.enumType('HostSortField', {
  values: { NAME: { value: 'name' }, STATUS: { value: 'status' }, MEMORY: { value: 'memoryMb' }, CREATED_AT: { value: 'createdAt' } } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.HostWhereInput {
  const dataCenterId = optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter');
  return {
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
    args: { filter: t.arg({ type: Filter, required: false }), sortBy: t.arg({ type: SortField, required: false }), direction: t.arg({ type: SortDirection, required: false }) },
    resolve: async (query, _root, args, ctx) => ctx.db.host.findMany({ ...query, where: and(where(args.filter), visible.host(await ctx.visibility())), orderBy: orderBy(args.sortBy, args.direction, 'name') }),
    totalCount: async (_c, args, ctx) => ctx.db.host.count({ where: and(where(args.filter), visible.host(await ctx.visibility())) }),
  }),
}));

const AddInput = builder.inputType('AddHostInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    address: t.string({ required: true, description: 'Host name or IP address the engine reaches the host at.' }),
    cluster: t.id({ required: true }),
  }),
});
const UpdateInput = builder.inputType('UpdateHostInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ required: false }),
    address: t.string({ required: false }),
    cluster: t.id({ required: false, description: 'Move to another cluster of the same data center (host in maintenance).' }),
  }),
});
const RemoveInput = builder.inputType('RemoveHostInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addHost', {
  action: addHost, description: 'Add a host to a cluster; it comes Up when its agent registers.', input: AddInput, type: HostRef, dataField: 'host',
  params: ({ cluster, ...rest }) => ({ ...rest, clusterId: localId(String(cluster), 'Cluster', 'cluster') }),
});
actionField('updateHost', {
  action: updateHost, description: 'Edit a host.', input: UpdateInput, type: HostRef, dataField: 'host',
  params: ({ id, cluster, ...rest }) => ({ ...stripNulls(rest), hostId: localId(String(id), 'Host', 'id'),
    clusterId: optionalLocalId(cluster as string, 'Cluster', 'cluster') }),
});
actionField('removeHost', {
  action: removeHost, description: 'Remove a host that runs no VMs and is in maintenance (or not serving).', input: RemoveInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ hostId: localId(String(id), 'Host', 'id') }),
  resolve: (h) => removed('Host', h.id),
});
