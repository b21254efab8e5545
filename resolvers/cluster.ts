import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { ClusterRef } from '../schema/types/cluster.ts';
import { SortDirection } from '../schema/types/enums.ts';
import { addCluster, removeCluster, updateCluster } from '../server/actions/cluster/clusterActions.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { SCHEDULING_POLICIES, type SchedulingPolicyName } from '../server/scheduler/policies.ts';

const Filter = builder.inputType('ClusterFilter', {
  fields: (t) => ({ nameContains: t.string({ required: false, validate: searchText }), dataCenter: t.id({ required: false }) }),
});
const SortField = builder.enumType('ClusterSortField', { values: { NAME: { value: 'name' }, CREATED_AT: { value: 'createdAt' } } as const });

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.ClusterWhereInput {
  return { name: contains(f?.nameContains), dataCenterId: optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter') };
}

builder.queryFields((t) => ({
  clusters: t.prismaConnection({
    type: 'Cluster',
    cursor: 'id',
    args: { filter: t.arg({ type: Filter, required: false }), sortBy: t.arg({ type: SortField, required: false }), direction: t.arg({ type: SortDirection, required: false }) },
    resolve: async (query, _root, args, ctx) => ctx.db.cluster.findMany({ ...query, where: and(where(args.filter), visible.cluster(await ctx.visibility())), orderBy: orderBy(args.sortBy, args.direction, 'name') }),
    totalCount: async (_c, args, ctx) => ctx.db.cluster.count({ where: and(where(args.filter), visible.cluster(await ctx.visibility())) }),
  }),
}));

const SchedulingPolicy = builder.enumType('SchedulingPolicy', {
  values: Object.fromEntries(SCHEDULING_POLICIES.map((p) => [p.toUpperCase(), { value: p }])) as Record<Uppercase<SchedulingPolicyName>, { value: SchedulingPolicyName }>,
});


const AddInput = builder.inputType('AddClusterInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    dataCenter: t.id({ required: true }),
    description: t.string({ required: false }),
    cpuType: t.string({ required: false }),
    memoryOvercommitPercent: t.int({ required: false, description: '100 (none) to 400.' }),
    schedulingPolicy: t.field({ type: SchedulingPolicy, required: false }),
    haReservation: t.boolean({ required: false }),
    ballooningEnabled: t.boolean({ required: false }),
  }),
});
const UpdateInput = builder.inputType('UpdateClusterInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    cpuType: t.string({ required: false }),
    memoryOvercommitPercent: t.int({ required: false }),
    schedulingPolicy: t.field({ type: SchedulingPolicy, required: false }),
    haReservation: t.boolean({ required: false }),
    ballooningEnabled: t.boolean({ required: false }),
  }),
});
const RemoveInput = builder.inputType('RemoveClusterInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addCluster', {
  action: addCluster, description: 'Create a cluster in a data center; it gets the management network.', input: AddInput, type: ClusterRef, dataField: 'cluster',
  params: ({ dataCenter, ...rest }) => ({ ...stripNulls(rest), dataCenterId: localId(String(dataCenter), 'DataCenter', 'dataCenter') }),
});
actionField('updateCluster', {
  action: updateCluster, description: 'Edit a cluster.', input: UpdateInput, type: ClusterRef, dataField: 'cluster',
  params: ({ id, ...rest }) => ({ ...stripNulls(rest), clusterId: localId(String(id), 'Cluster', 'id') }),
});
actionField('removeCluster', {
  action: removeCluster, description: 'Remove a cluster that has no hosts, VMs or templates.', input: RemoveInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ clusterId: localId(String(id), 'Cluster', 'id') }),
  resolve: (c) => removed('Cluster', c.id),
});
