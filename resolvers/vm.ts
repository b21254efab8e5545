import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { VmRef } from '../schema/types/vm.ts';
import { DiskFormat, DiskInterface, DisplayType, NicInterface, SortDirection, VmStatus } from '../schema/types/enums.ts';
import { addVm } from '../server/actions/vm/addVm.ts';
import { removeVm, updateVm } from '../server/actions/vm/vmActions.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('VmFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    status: t.field({ type: [VmStatus], required: false }),
    cluster: t.id({ required: false }),
    host: t.id({ required: false }),
    dataCenter: t.id({ required: false }),
    highlyAvailable: t.boolean({ required: false }),
    template: t.id({ required: false, description: 'VMs made from this template.' }),
  }),
});
const SortField = builder.enumType('VmSortField', {
  values: { NAME: { value: 'name' }, STATUS: { value: 'status' }, MEMORY: { value: 'memoryMb' }, CREATED_AT: { value: 'createdAt' } } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.VmWhereInput {
  const dataCenterId = optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter');
  return {
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
    args: { filter: t.arg({ type: Filter, required: false }), sortBy: t.arg({ type: SortField, required: false }), direction: t.arg({ type: SortDirection, required: false }) },
    resolve: async (query, _root, args, ctx) => ctx.db.vm.findMany({ ...query, where: and(where(args.filter), visible.vm(await ctx.visibility())), orderBy: orderBy(args.sortBy, args.direction, 'name') }),
    totalCount: async (_c, args, ctx) => ctx.db.vm.count({ where: and(where(args.filter), visible.vm(await ctx.visibility())) }),
  }),
}));

const hardware = (t: PothosSchemaTypes.InputFieldBuilder<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never, 'InputObject'>) => ({
  description: t.string({ required: false }),
  osType: t.string({ required: false, description: 'oVirt OS id, e.g. rhel_9x64, windows_2022, other_linux.' }),
  cpuSockets: t.int({ required: false }),
  cpuCores: t.int({ required: false, description: 'Cores per socket.' }),
  cpuThreads: t.int({ required: false, description: 'Threads per core.' }),
  memoryMb: t.int({ required: false }),
  guaranteedMemoryMb: t.int({ required: false, description: 'Memory the host must keep for the VM (defaults to all of it).' }),
  highlyAvailable: t.boolean({ required: false }),
  haPriority: t.int({ required: false }),
  stateless: t.boolean({ required: false }),
  displayType: t.field({ type: DisplayType, required: false, description: 'The console offered from the next start.' }),
});

const NicInput = builder.inputType('VmNicInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    network: t.id({ required: false, description: 'A VM network attached to the cluster; none = unplugged from any network.' }),
    interface: t.field({ type: NicInterface, required: false }),
  }),
});
const DiskInput = builder.inputType('VmDiskInput', {
  fields: (t) => ({
    alias: t.string({ required: false }),
    storageDomain: t.id({ required: true }),
    provisionedSizeBytes: t.field({ type: 'Long', required: true }),
    format: t.field({ type: DiskFormat, required: false }),
    sparse: t.boolean({ required: false, description: 'Thin provisioned (default) or preallocated.' }),
    bootable: t.boolean({ required: false }),
    interface: t.field({ type: DiskInterface, required: false }),
  }),
});
const AddInput = builder.inputType('AddVmInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    cluster: t.id({ required: true }),
    ...hardware(t),
    nics: t.field({ type: [NicInput], required: false }),
    disks: t.field({ type: [DiskInput], required: false }),
  }),
});
const UpdateInput = builder.inputType('UpdateVmInput', {
  fields: (t) => ({ id: t.id({ required: true }), name: t.string({ required: false }), ...hardware(t) }),
});
const RemoveInput = builder.inputType('RemoveVmInput', {
  fields: (t) => ({ id: t.id({ required: true }), removeDisks: t.boolean({ required: false, description: 'Also delete its disks (default true).' }) }),
});

actionField('addVm', {
  action: addVm, description: 'Define a new VM (Down) with its NICs and disks.', input: AddInput, type: VmRef, dataField: 'vm',
  params: ({ cluster, nics, disks, ...rest }) => ({
    ...stripNulls(rest),
    clusterId: localId(String(cluster), 'Cluster', 'cluster'),
    nics: (nics ?? []).map(({ network, ...n }, i) => ({ ...stripNulls(n), networkId: optionalLocalId(network as string, 'Network', `nics.${i}.network`) ?? null })),
    disks: (disks ?? []).map(({ storageDomain, ...d }, i) => ({ ...stripNulls(d), storageDomainId: localId(String(storageDomain), 'StorageDomain', `disks.${i}.storageDomain`) })),
  }),
});
actionField('updateVm', {
  action: updateVm, description: "Edit a VM's definition; hardware changes need the VM Down.", input: UpdateInput, type: VmRef, dataField: 'vm',
  params: ({ id, ...rest }) => ({ ...stripNulls(rest), vmId: localId(String(id), 'Vm', 'id') }),
});
actionField('removeVm', {
  action: removeVm, description: 'Remove a VM that is Down, with its disks unless asked to keep them.', input: RemoveInput, type: RemovedRef, dataField: 'removed',
  params: ({ id, ...rest }) => ({ ...stripNulls(rest), vmId: localId(String(id), 'Vm', 'id') }),
  resolve: (vm) => removed('Vm', vm.id),
});
