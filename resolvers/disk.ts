import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { DiskRef } from '../schema/types/disk.ts';
import { DiskFormat, DiskInterface, SortDirection } from '../schema/types/enums.ts';
import { addDisk, attachDisk, detachDisk, removeDisk, resizeDisk } from '../server/actions/disk/diskActions.ts';
import { ownChain } from '../server/actions/disk/volumes.ts';
import type { Prisma } from '../generated/prisma/client.ts';

builder.prismaObjectFields('Disk', (t) => ({
  parent: t.relation('parent', { nullable: true, description: 'The volume under this one: a snapshot volume or a template disk (thin VM); null for a base volume.' }),
  chainActualSizeBytes: t.field({
    type: 'Long',
    description: 'Space this disk takes with its snapshot volumes (not counting a template disk it is thin over).',
    select: { id: true },
    resolve: async (d, _args, ctx) => {
      const chain = await ctx.db.$transaction(async (tx) => ownChain(tx, await tx.disk.findUniqueOrThrow({ where: { id: d.id } })));
      return chain.reduce((sum, v) => sum + v.actualSizeBytes, 0n);
    },
  }),
}));

const DiskFilter = builder.inputType('DiskFilter', {
  fields: (t) => ({ aliasContains: t.string({ required: false, validate: searchText }), storageDomain: t.id({ required: false }), floating: t.boolean({ required: false, description: 'Only disks attached to no VM.' }) }),
});
const DiskSortField = builder.enumType('DiskSortField', {
  values: { ALIAS: { value: 'alias' }, PROVISIONED_SIZE: { value: 'provisionedSizeBytes' }, ACTUAL_SIZE: { value: 'actualSizeBytes' }, CREATED_AT: { value: 'createdAt' } } as const,
});

function diskWhere(f: typeof DiskFilter.$inferInput | null | undefined): Prisma.DiskWhereInput {
  return {
    alias: contains(f?.aliasContains),
    storageDomainId: optionalLocalId(f?.storageDomain as string, 'StorageDomain', 'filter.storageDomain'),
    attachments: f?.floating === true ? { none: {} } : f?.floating === false ? { some: {} } : undefined,
  };
}

builder.queryFields((t) => ({
  disks: t.prismaConnection({
    type: 'Disk',
    cursor: 'id',
    args: { filter: t.arg({ type: DiskFilter, required: false }), sortBy: t.arg({ type: DiskSortField, required: false }), direction: t.arg({ type: SortDirection, required: false }) },
    resolve: async (query, _root, args, ctx) => ctx.db.disk.findMany({ ...query, where: and(diskWhere(args.filter), visible.disk(await ctx.visibility())), orderBy: orderBy(args.sortBy, args.direction, 'alias') }),
    totalCount: async (_c, args, ctx) => ctx.db.disk.count({ where: and(diskWhere(args.filter), visible.disk(await ctx.visibility())) }),
  }),
}));

const AddInput = builder.inputType('AddDiskInput', {
  fields: (t) => ({
    vm: t.id({ required: false, description: 'Attach the new disk to this VM; none = a floating disk.' }),
    alias: t.string({ required: true }),
    description: t.string({ required: false }),
    storageDomain: t.id({ required: true }),
    provisionedSizeBytes: t.field({ type: 'Long', required: true }),
    format: t.field({ type: DiskFormat, required: false }),
    sparse: t.boolean({ required: false, description: 'Thin provisioned (default) or preallocated.' }),
    shareable: t.boolean({ required: false }),
    bootable: t.boolean({ required: false }),
    interface: t.field({ type: DiskInterface, required: false }),
  }),
});
const ResizeInput = builder.inputType('ResizeDiskInput', {
  fields: (t) => ({ id: t.id({ required: true }), provisionedSizeBytes: t.field({ type: 'Long', required: true, description: 'The new virtual size; disks only grow.' }) }),
});
const AttachInput = builder.inputType('AttachDiskInput', {
  fields: (t) => ({
    disk: t.id({ required: true }), vm: t.id({ required: true }),
    bootable: t.boolean({ required: false }), interface: t.field({ type: DiskInterface, required: false }),
    active: t.boolean({ required: false, description: 'Plugged (default) or attached unplugged.' }),
  }),
});
const DetachInput = builder.inputType('DetachDiskInput', { fields: (t) => ({ disk: t.id({ required: true }), vm: t.id({ required: true }) }) });
const RemoveInput = builder.inputType('RemoveDiskInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addDisk', {
  action: addDisk, description: 'Create a disk on a storage domain with room for it, floating or attached to a VM.', input: AddInput, type: DiskRef, dataField: 'disk',
  params: ({ vm, storageDomain, ...rest }) => ({ ...stripNulls(rest), vmId: optionalLocalId(vm as string, 'Vm', 'vm'), storageDomainId: localId(String(storageDomain), 'StorageDomain', 'storageDomain') }),
});
actionField('resizeDisk', {
  action: resizeDisk, description: 'Grow a disk (a preallocated one takes the new space at once).', input: ResizeInput, type: DiskRef, dataField: 'disk',
  params: ({ id, provisionedSizeBytes }) => ({ diskId: localId(String(id), 'Disk', 'id'), provisionedSizeBytes }),
});
actionField('attachDisk', {
  action: attachDisk, description: 'Attach a floating (or shareable) disk to a VM.', input: AttachInput, type: 'DiskAttachment', dataField: 'diskAttachment',
  params: ({ disk, vm, ...rest }) => ({ ...stripNulls(rest), diskId: localId(String(disk), 'Disk', 'disk'), vmId: localId(String(vm), 'Vm', 'vm') }),
});
actionField('detachDisk', {
  action: detachDisk, description: 'Detach a disk from a VM; the disk stays, floating.', input: DetachInput, type: DiskRef, dataField: 'disk',
  params: ({ disk, vm }) => ({ diskId: localId(String(disk), 'Disk', 'disk'), vmId: localId(String(vm), 'Vm', 'vm') }),
  resolve: (a) => a.disk,
});
actionField('removeDisk', {
  action: removeDisk, description: 'Delete a disk with its snapshot volumes, giving the space back.', input: RemoveInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ diskId: localId(String(id), 'Disk', 'id') }),
  resolve: (d) => removed('Disk', d.id),
});
