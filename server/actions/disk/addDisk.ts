import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { description, nodeId, objectName } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { disksFit } from '../vm/addVm.ts';
import { account, initialThin } from './volumes.ts';
import { notInPreview, previewOf } from '../snapshot/snapshotTree.ts';
import { createVolumes } from '../../storage/hostVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { diskInterface, diskObjects } from './diskChecks.ts';

export const addDisk = defineAction({
  type: 'AddDisk',
  title: 'add Disk',
  actionGroup: 'CREATE_DISK',
  subject: (p) => (p.vmId ? { type: 'VM', id: p.vmId } : { type: 'STORAGE_DOMAIN', id: p.storageDomainId }),
  params: z.object({
    vmId: nodeId('Vm', 'vm').optional().describe('Attach the new disk to this VM; none = a floating disk.'),
    alias: objectName,
    description: description.optional(),
    storageDomainId: nodeId('StorageDomain', 'storageDomain'),
    provisionedSizeBytes: z.bigint().positive('must be positive'),
    format: z.enum(['RAW', 'COW']).meta({ graphql: 'DiskFormat' }).default('COW'),
    sparse: z.boolean().default(true).describe('Thin provisioned (default) or preallocated.'),
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
    await createVolumes(
      engine,
      { dataCenterId: sd.dataCenterId!, title: 'add Disk' },
      [
        {
          domain: sd,
          diskId,
          format: p.format,
          sizeBytes: p.provisionedSizeBytes,
          label: { diskAlias: p.alias, vmName: vm?.name ?? null },
        },
      ],
      compensate,
    );
    return diskId;
  },
  async execute({ tx, publish }, p, _marked, diskId) {
    const actualSizeBytes = p.sparse ? initialThin(p.provisionedSizeBytes) : p.provisionedSizeBytes;
    const disk = await tx.disk.create({
      data: {
        id: diskId,
        alias: p.alias,
        description: p.description,
        storageDomainId: p.storageDomainId,
        provisionedSizeBytes: p.provisionedSizeBytes,
        actualSizeBytes,
        format: p.format,
        sparse: p.sparse,
        shareable: p.shareable,
      },
      include: { storageDomain: true },
    });
    if (p.vmId) {
      await tx.diskAttachment.create({ data: { vmId: p.vmId, diskId: disk.id, bootable: p.bootable, interface: p.interface } });
      publish('vm:changed', { id: p.vmId, kind: 'updated' });
    }
    await account(tx, p.storageDomainId, actualSizeBytes);
    publish('storageDomain:changed', { id: p.storageDomainId, kind: 'updated' });
    return disk;
  },
  audit: (disk, p) => ({
    code: 'USER_ADD_DISK',
    vars: { diskAlias: disk.alias, storageDomainName: disk.storageDomain.name },
    objects: diskObjects(disk, p.vmId),
  }),
  api: {
    mutation: 'addDisk',
    description: 'Create a disk on a storage domain with room for it, floating or attached to a VM.',
    payload: { field: 'disk', type: 'Disk' },
  },
});
