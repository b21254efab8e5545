import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import { deleteVolumes, disksUsable, ownChain } from './volumes.ts';
import { removeImage } from '../../storage/images.ts';
import { diskObjects, diskOf, isUserDisk, previewChecks } from './diskChecks.ts';

/** Removes a disk with its snapshot volumes; attached disks are detached first (the VMs must be Down). */
export const removeDisk = defineAction({
  type: 'RemoveDisk',
  title: 'remove Disk',
  actionGroup: 'DELETE_DISK',
  subject: (p) => ({ type: 'DISK', id: p.diskId }),
  params: z.object({ diskId: nodeId('Disk', 'id') }),
  locks: (p) => [lockKey('Disk', p.diskId)],
  async validate({ tx }, p) {
    const disk = await diskOf(tx, p.diskId);
    const vms = disk.attachments.map((a) => a.vm);
    return [
      await isUserDisk(tx, disk),
      disksUsable([disk]),
      ...vms.map((vm) => vmIsDown(vm)),
      ...(await previewChecks(tx, vms)),
    ];
  },
  async execute({ tx, publish }, p) {
    const disk = await diskOf(tx, p.diskId);
    await tx.diskAttachment.deleteMany({ where: { diskId: disk.id } });
    const { storageDomain, attachments, ...row } = disk;
    await deleteVolumes(tx, await ownChain(tx, row));
    for (const a of attachments) publish('vm:changed', { id: a.vmId, kind: 'updated' });
    publish('storageDomain:changed', { id: disk.storageDomainId, kind: 'updated' });
    // Last, as nothing can bring the file back: only the audit write and the commit can still fail.
    await removeImage(storageDomain, disk.id);
    return disk;
  },
  audit: (disk) => ({ code: 'USER_REMOVE_DISK', vars: { diskAlias: disk.alias }, objects: diskObjects(disk, disk.attachments[0]?.vmId) }),
  api: {
    mutation: 'removeDisk',
    description: 'Delete a disk with its snapshot volumes, giving the space back.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'Disk', id: r.id }),
  },
});
