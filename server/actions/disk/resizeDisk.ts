import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { account, disksUsable, roomFor } from './volumes.ts';
import { extendVolume } from '../../storage/hostVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { diskObjects, diskOf, isUserDisk, previewChecks } from './diskChecks.ts';

export const resizeDisk = defineAction({
  type: 'ExtendImageSize',
  title: 'resize Disk',
  actionGroup: 'EDIT_DISK_PROPERTIES',
  subject: (p) => ({ type: 'DISK', id: p.diskId }),
  params: z.object({
    diskId: nodeId('Disk', 'id'),
    provisionedSizeBytes: z.bigint().positive('must be positive').describe('The new virtual size; disks only grow.'),
  }),
  locks: (p) => [lockKey('Disk', p.diskId)],
  async validate({ tx }, p) {
    const disk = await diskOf(tx, p.diskId);
    const growth = p.provisionedSizeBytes - disk.provisionedSizeBytes;
    return [
      await isUserDisk(tx, disk),
      disksUsable([disk]),
      ...(await previewChecks(
        tx,
        disk.attachments.map((a) => a.vm),
      )),
      refuseWhen(
        growth < 0n,
        'DISK_SHRINK_NOT_SUPPORTED',
        `Disk ${disk.alias} is ${disk.provisionedSizeBytes} bytes; a disk can only grow.`,
      ),
      refuseWhen(growth === 0n, 'DISK_SIZE_UNCHANGED', `Disk ${disk.alias} is already ${disk.provisionedSizeBytes} bytes.`),
      // A preallocated disk takes its new space at once; a thin one only as the guest writes.
      ...(growth > 0n && !disk.sparse ? await roomFor(tx, new Map([[disk.storageDomainId, growth]])) : []),
      await storageHostAvailable(tx, disk.storageDomain.dataCenterId),
    ];
  },
  /** A host grows the volume first: should the transaction then fail, the volume is only larger than its row says. */
  async onHost({ engine }, p) {
    const disk = await engine.db.disk.findUniqueOrThrow({ where: { id: p.diskId }, include: { storageDomain: true } });
    await extendVolume(engine, disk.storageDomain.dataCenterId!, 'resize Disk', {
      domain: disk.storageDomain,
      disk,
      format: disk.format,
      sizeBytes: p.provisionedSizeBytes,
    });
  },
  async execute({ tx, publish }, p) {
    const before = await diskOf(tx, p.diskId);
    const growth = p.provisionedSizeBytes - before.provisionedSizeBytes;
    const disk = await tx.disk.update({
      where: { id: p.diskId },
      include: { storageDomain: true },
      data: {
        provisionedSizeBytes: p.provisionedSizeBytes,
        ...(before.sparse ? {} : { actualSizeBytes: { increment: growth } }),
      },
    });
    if (!before.sparse) await account(tx, disk.storageDomainId, growth);
    for (const a of before.attachments) publish('vm:changed', { id: a.vmId, kind: 'updated' });
    return disk;
  },
  audit: (disk) => ({
    code: 'USER_EXTEND_DISK_SIZE_SUCCESS',
    vars: { diskAlias: disk.alias, newSize: `${disk.provisionedSizeBytes}` },
    objects: diskObjects(disk),
  }),
  api: {
    mutation: 'resizeDisk',
    description: 'Grow a disk (a preallocated one takes the new space at once).',
    payload: { field: 'disk', type: 'Disk' },
  },
});
