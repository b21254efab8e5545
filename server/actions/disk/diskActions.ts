// Disks on their own (oVirt's AddDisk, ExtendImageSize, AttachDiskToVm, DetachDiskFromVm,
// RemoveDisk). A disk here is always the top volume of its chain; snapshot volumes under it and
// template disks are refused with a reason. The image work is a host's (server/storage/hostVolumes.ts):
// the volume is created or grown before the transaction, removed after it.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { description, id, objectName } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import type { Reason } from '../../errors.ts';
import { disksFit } from '../vm/addVm.ts';
import { account, deleteVolumes, disksUsable, initialThin, isMemoryDump, ownChain, roomFor } from './volumes.ts';
import { notInPreview, previewOf } from '../snapshot/snapshotTree.ts';
import { createVolumes, extendVolume, removeVolumes } from '../../storage/hostVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';

const diskInterface = z.enum(['VIRTIO', 'VIRTIO_SCSI', 'IDE', 'SATA']);

async function diskOf(tx: Tx, diskId: string) {
  return found(await tx.disk.findUnique({ where: { id: diskId }, include: { storageDomain: true, attachments: { include: { vm: true } } } }), 'Disk', diskId);
}

/** The disk is one a user may change: not a template's disk, not a volume under a snapshot. */
async function isUserDisk(tx: Tx, disk: { id: string; alias: string; templateId: string | null }): Promise<Reason | null> {
  const children = await tx.disk.count({ where: { parentId: disk.id } });
  return refuseWhen(disk.templateId !== null, 'DISK_IS_TEMPLATE_DISK', `Disk ${disk.alias} belongs to a template.`)
    ?? refuseWhen(await isMemoryDump(tx, disk.id), 'DISK_IS_MEMORY_DUMP', `Disk ${disk.alias} is the memory of a snapshot; it goes with the snapshot.`)
    ?? refuseWhen(children > 0, 'DISK_IS_SNAPSHOT_VOLUME', `Disk ${disk.alias} is a volume under a snapshot or template chain, not an active disk.`);
}

/** The disk has snapshot volumes of its VM under it. */
async function hasSnapshots(tx: Tx, disk: { parentId: string | null }): Promise<boolean> {
  if (!disk.parentId) return false;
  return (await tx.disk.findUniqueOrThrow({ where: { id: disk.parentId } })).templateId === null;
}

async function previewChecks(tx: Tx, vms: { id: string; name: string }[]) {
  return Promise.all(vms.map(async (vm) => notInPreview(await previewOf(tx, vm.id), vm.name)));
}

const diskObjects = (d: { storageDomainId: string; storageDomain: { dataCenterId: string | null } }, vmId?: string | null) =>
  ({ storageDomainId: d.storageDomainId, dataCenterId: d.storageDomain.dataCenterId, vmId: vmId ?? null });

export const addDisk = defineAction({
  type: 'AddDisk',
  title: 'add Disk',
  actionGroup: 'CREATE_DISK',
  subject: (p) => (p.vmId ? { type: 'VM', id: p.vmId } : { type: 'STORAGE_DOMAIN', id: p.storageDomainId }),
  params: z.object({
    vmId: id.optional(),
    alias: objectName,
    description: description.optional(),
    storageDomainId: id,
    provisionedSizeBytes: z.bigint().positive('must be positive'),
    format: z.enum(['RAW', 'COW']).default('COW'),
    sparse: z.boolean().default(true),
    shareable: z.boolean().default(false),
    bootable: z.boolean().default(false),
    interface: diskInterface.default('VIRTIO_SCSI'),
  }),
  locks: (p) => [lockKey('StorageDomain', p.storageDomainId), ...(p.vmId ? [lockKey('Vm', p.vmId)] : [])],
  objects: (p) => ({ vmId: p.vmId ?? null, storageDomainId: p.storageDomainId }),
  async validate({ tx }, p) {
    const sd = found(await tx.storageDomain.findUnique({ where: { id: p.storageDomainId } }), 'Storage Domain', p.storageDomainId);
    const vm = p.vmId ? found(await tx.vm.findUnique({ where: { id: p.vmId }, include: { cluster: true } }), 'VM', p.vmId) : null;
    const bootable = vm && p.bootable ? await tx.diskAttachment.count({ where: { vmId: vm.id, bootable: true } }) : 0;
    return [
      refuseWhen(p.shareable && p.format !== 'RAW', 'SHAREABLE_DISK_MUST_BE_RAW', 'A shareable disk must be RAW.'),
      vm ? notInPreview(await previewOf(tx, vm.id), vm.name) : null,
      refuseWhen(bootable > 0, 'VM_HAS_BOOTABLE_DISK', `VM ${vm?.name} already has a bootable disk.`),
      refuseWhen(!sd.dataCenterId, 'STORAGE_DOMAIN_NOT_USABLE', `Storage Domain ${sd.name} is not attached to a data center.`),
      ...(sd.dataCenterId ? await disksFit(tx, vm?.cluster.dataCenterId ?? sd.dataCenterId, [p]) : []),
      await storageHostAvailable(tx, sd.dataCenterId),
    ];
  },
  /** The new disk's volume, made by a host before the rows (removed again if the action fails later). */
  async onHost({ engine, compensate }, p) {
    const sd = await engine.db.storageDomain.findUniqueOrThrow({ where: { id: p.storageDomainId } });
    const vm = p.vmId ? await engine.db.vm.findUnique({ where: { id: p.vmId }, select: { name: true } }) : null;
    const diskId = randomUUID();
    await createVolumes(engine, { dataCenterId: sd.dataCenterId!, title: 'add Disk' }, [{
      domain: sd, diskId, format: p.format, sizeBytes: p.provisionedSizeBytes, label: { diskAlias: p.alias, vmName: vm?.name ?? null } }], compensate);
    return diskId;
  },
  async execute({ tx, publish }, p, _marked, diskId) {
    const actualSizeBytes = p.sparse ? initialThin(p.provisionedSizeBytes) : p.provisionedSizeBytes;
    const disk = await tx.disk.create({ data: {
      id: diskId, alias: p.alias, description: p.description, storageDomainId: p.storageDomainId, provisionedSizeBytes: p.provisionedSizeBytes,
      actualSizeBytes, format: p.format, sparse: p.sparse, shareable: p.shareable }, include: { storageDomain: true } });
    if (p.vmId) {
      await tx.diskAttachment.create({ data: { vmId: p.vmId, diskId: disk.id, bootable: p.bootable, interface: p.interface } });
      publish('vm:changed', { id: p.vmId, kind: 'updated' });
    }
    await account(tx, p.storageDomainId, actualSizeBytes);
    publish('storageDomain:changed', { id: p.storageDomainId, kind: 'updated' });
    return disk;
  },
  audit: (disk, p) => ({ code: 'USER_ADD_DISK', vars: { diskAlias: disk.alias, storageDomainName: disk.storageDomain.name }, objects: diskObjects(disk, p.vmId) }),
});

export const resizeDisk = defineAction({
  type: 'ExtendImageSize',
  title: 'resize Disk',
  actionGroup: 'EDIT_DISK_PROPERTIES',
  subject: (p) => ({ type: 'DISK', id: p.diskId }),
  params: z.object({ diskId: id, provisionedSizeBytes: z.bigint().positive('must be positive') }),
  locks: (p) => [lockKey('Disk', p.diskId)],
  async validate({ tx }, p) {
    const disk = await diskOf(tx, p.diskId);
    const growth = p.provisionedSizeBytes - disk.provisionedSizeBytes;
    return [
      await isUserDisk(tx, disk),
      disksUsable([disk]),
      ...(await previewChecks(tx, disk.attachments.map((a) => a.vm))),
      refuseWhen(growth < 0n, 'DISK_SHRINK_NOT_SUPPORTED', `Disk ${disk.alias} is ${disk.provisionedSizeBytes} bytes; a disk can only grow.`),
      refuseWhen(growth === 0n, 'DISK_SIZE_UNCHANGED', `Disk ${disk.alias} is already ${disk.provisionedSizeBytes} bytes.`),
      // A preallocated disk takes its new space at once; a thin one only as the guest writes.
      ...(growth > 0n && !disk.sparse ? await roomFor(tx, new Map([[disk.storageDomainId, growth]])) : []),
      await storageHostAvailable(tx, disk.storageDomain.dataCenterId),
    ];
  },
  /** A host grows the volume first: should the transaction then fail, the volume is only larger than its row says. */
  async onHost({ engine }, p) {
    const disk = await engine.db.disk.findUniqueOrThrow({ where: { id: p.diskId }, include: { storageDomain: true } });
    await extendVolume(engine, disk.storageDomain.dataCenterId!, 'resize Disk', { domain: disk.storageDomain, diskId: disk.id, format: disk.format, sizeBytes: p.provisionedSizeBytes });
  },
  async execute({ tx, publish }, p) {
    const before = await diskOf(tx, p.diskId);
    const growth = p.provisionedSizeBytes - before.provisionedSizeBytes;
    const disk = await tx.disk.update({ where: { id: p.diskId }, include: { storageDomain: true }, data: {
      provisionedSizeBytes: p.provisionedSizeBytes, ...(before.sparse ? {} : { actualSizeBytes: { increment: growth } }) } });
    if (!before.sparse) await account(tx, disk.storageDomainId, growth);
    for (const a of before.attachments) publish('vm:changed', { id: a.vmId, kind: 'updated' });
    return disk;
  },
  audit: (disk) => ({ code: 'USER_EXTEND_DISK_SIZE_SUCCESS', vars: { diskAlias: disk.alias, newSize: `${disk.provisionedSizeBytes}` }, objects: diskObjects(disk) }),
});

export const attachDisk = defineAction({
  type: 'AttachDiskToVm',
  title: 'attach Disk',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({ diskId: id, vmId: id, bootable: z.boolean().default(false), interface: diskInterface.default('VIRTIO_SCSI'), active: z.boolean().default(true) }),
  locks: (p) => [lockKey('Disk', p.diskId), lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const disk = await diskOf(tx, p.diskId);
    const vm = found(await tx.vm.findUnique({ where: { id: p.vmId }, include: { cluster: true } }), 'VM', p.vmId);
    const bootable = p.bootable ? await tx.diskAttachment.count({ where: { vmId: vm.id, bootable: true } }) : 0;
    return [
      await isUserDisk(tx, disk),
      disksUsable([disk]),
      refuseWhen(disk.attachments.some((a) => a.vmId === vm.id), 'DISK_ALREADY_ATTACHED', `Disk ${disk.alias} is already attached to VM ${vm.name}.`),
      refuseWhen(!disk.shareable && disk.attachments.some((a) => a.vmId !== vm.id), 'DISK_ATTACHED_TO_OTHER_VM',
        `Disk ${disk.alias} is attached to VM ${disk.attachments[0]?.vm.name} and is not shareable.`),
      refuseWhen(disk.storageDomain.dataCenterId !== vm.cluster.dataCenterId, 'DISK_NOT_IN_VM_DATA_CENTER', `Disk ${disk.alias} is on storage of another data center.`),
      notInPreview(await previewOf(tx, vm.id), vm.name),
      refuseWhen(bootable > 0, 'VM_HAS_BOOTABLE_DISK', `VM ${vm.name} already has a bootable disk.`),
    ];
  },
  async execute({ tx, publish }, p) {
    const attachment = await tx.diskAttachment.create({ data: { vmId: p.vmId, diskId: p.diskId, bootable: p.bootable, interface: p.interface, active: p.active },
      include: { vm: true, disk: true } });
    publish('vm:changed', { id: p.vmId, kind: 'updated' });
    return attachment;
  },
  audit: (a) => ({ code: 'USER_ATTACH_DISK_TO_VM', vars: { diskAlias: a.disk.alias, vmName: a.vm.name }, objects: { vmId: a.vmId, clusterId: a.vm.clusterId, storageDomainId: a.disk.storageDomainId } }),
});

export const detachDisk = defineAction({
  type: 'DetachDiskFromVm',
  title: 'detach Disk',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({ diskId: id, vmId: id }),
  locks: (p) => [lockKey('Disk', p.diskId), lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const disk = await diskOf(tx, p.diskId);
    const attachment = disk.attachments.find((a) => a.vmId === p.vmId);
    if (!attachment) return [{ code: 'DISK_NOT_ATTACHED', message: `Disk ${disk.alias} is not attached to VM ${p.vmId}.` }];
    return [
      // A plugged disk leaves a running VM only by hot-unplug, which the host agent cannot do yet.
      attachment.active ? vmIsDown(attachment.vm) : null,
      disksUsable([disk]),
      notInPreview(await previewOf(tx, p.vmId), attachment.vm.name),
      refuseWhen(await hasSnapshots(tx, disk), 'DISK_HAS_SNAPSHOTS', `Disk ${disk.alias} has snapshot volumes of VM ${attachment.vm.name}; remove those snapshots first.`),
    ];
  },
  async execute({ tx, publish }, p) {
    const attachment = await tx.diskAttachment.delete({ where: { vmId_diskId: { vmId: p.vmId, diskId: p.diskId } }, include: { vm: true, disk: true } });
    publish('vm:changed', { id: p.vmId, kind: 'updated' });
    return attachment;
  },
  audit: (a) => ({ code: 'USER_DETACH_DISK_FROM_VM', vars: { diskAlias: a.disk.alias, vmName: a.vm.name }, objects: { vmId: a.vmId, clusterId: a.vm.clusterId, storageDomainId: a.disk.storageDomainId } }),
});

/** Removes a disk with its snapshot volumes; attached disks are detached first (the VMs must be Down). */
export const removeDisk = defineAction({
  type: 'RemoveDisk',
  title: 'remove Disk',
  actionGroup: 'DELETE_DISK',
  subject: (p) => ({ type: 'DISK', id: p.diskId }),
  params: z.object({ diskId: id }),
  locks: (p) => [lockKey('Disk', p.diskId)],
  async validate({ tx }, p) {
    const disk = await diskOf(tx, p.diskId);
    const vms = disk.attachments.map((a) => a.vm);
    return [
      await isUserDisk(tx, disk),
      disksUsable([disk]),
      ...vms.map((vm) => vmIsDown(vm)),
      ...(await previewChecks(tx, vms)),
      await storageHostAvailable(tx, disk.storageDomain.dataCenterId),
    ];
  },
  async execute({ tx, engine, publish, afterCommit }, p) {
    const disk = await diskOf(tx, p.diskId);
    await tx.diskAttachment.deleteMany({ where: { diskId: disk.id } });
    const { storageDomain, attachments, ...row } = disk;
    await deleteVolumes(tx, await ownChain(tx, row));
    for (const a of attachments) publish('vm:changed', { id: a.vmId, kind: 'updated' });
    publish('storageDomain:changed', { id: disk.storageDomainId, kind: 'updated' });
    // After the commit, as nothing can bring the volume back.
    afterCommit(() => removeVolumes(engine, storageDomain.dataCenterId!, [{ domain: storageDomain, diskId: disk.id }]));
    return disk;
  },
  audit: (disk) => ({ code: 'USER_REMOVE_DISK', vars: { diskAlias: disk.alias }, objects: diskObjects(disk, disk.attachments[0]?.vmId) }),
});
