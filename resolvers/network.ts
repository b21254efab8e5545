import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { NetworkRef } from '../schema/types/network.ts';
import { SortDirection } from '../schema/types/enums.ts';
import { addNetwork, removeNetwork, updateNetwork } from '../server/actions/network/networkActions.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('NetworkFilter', {
  fields: (t) => ({ nameContains: t.string({ required: false, validate: searchText }), dataCenter: t.id({ required: false }), cluster: t.id({ required: false }) }),
});
const SortField = builder.enumType('NetworkSortField', { values: { NAME: { value: 'name' }, VLAN: { value: 'vlanId' } } as const });

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.NetworkWhereInput {
  const clusterId = optionalLocalId(f?.cluster as string, 'Cluster', 'filter.cluster');
  return {
    name: contains(f?.nameContains),
    dataCenterId: optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter'),
    clusters: clusterId ? { some: { clusterId } } : undefined,
  };
}

builder.queryFields((t) => ({
  networks: t.prismaConnection({
    type: 'Network',
    cursor: 'id',
    args: { filter: t.arg({ type: Filter, required: false }), sortBy: t.arg({ type: SortField, required: false }), direction: t.arg({ type: SortDirection, required: false }) },
    resolve: async (query, _root, args, ctx) => ctx.db.network.findMany({ ...query, where: and(where(args.filter), visible.network(await ctx.visibility())), orderBy: orderBy(args.sortBy, args.direction, 'name') }),
    totalCount: async (_c, args, ctx) => ctx.db.network.count({ where: and(where(args.filter), visible.network(await ctx.visibility())) }),
  }),
}));

const ClusterAttachment = builder.inputType('NetworkClusterInput', {
  fields: (t) => ({ cluster: t.id({ required: true }), required: t.boolean({ required: false, description: 'Every host of the cluster must carry it (default true).' }) }),
});
const AddInput = builder.inputType('AddNetworkInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    dataCenter: t.id({ required: true }),
    description: t.string({ required: false }),
    vlanId: t.int({ required: false }),
    mtu: t.int({ required: false }),
    vmNetwork: t.boolean({ required: false }),
    clusters: t.field({ type: [ClusterAttachment], required: false }),
  }),
});
const UpdateInput = builder.inputType('UpdateNetworkInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    vlanId: t.int({ required: false }),
    mtu: t.int({ required: false }),
    vmNetwork: t.boolean({ required: false }),
  }),
});
const RemoveInput = builder.inputType('RemoveNetworkInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addNetwork', {
  action: addNetwork, description: 'Add a logical network to a data center, optionally attached to clusters.', input: AddInput, type: NetworkRef, dataField: 'network',
  params: ({ dataCenter, clusters, ...rest }) => ({
    ...stripNulls(rest),
    dataCenterId: localId(String(dataCenter), 'DataCenter', 'dataCenter'),
    clusters: (clusters ?? []).map((c, i) => ({ clusterId: localId(String(c.cluster), 'Cluster', `clusters.${i}.cluster`), required: c.required ?? true })),
  }),
});
actionField('updateNetwork', {
  action: updateNetwork, description: 'Edit a logical network.', input: UpdateInput, type: NetworkRef, dataField: 'network',
  params: ({ id, ...rest }) => ({ ...stripNulls(rest), networkId: localId(String(id), 'Network', 'id') }),
});
actionField('removeNetwork', {
  action: removeNetwork, description: 'Remove a logical network no VM NIC or host uses.', input: RemoveInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ networkId: localId(String(id), 'Network', 'id') }),
  resolve: (n) => removed('Network', n.id),
});
