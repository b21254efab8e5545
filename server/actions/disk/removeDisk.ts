import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import { deleteVolumes, disksUsable, ownChain } from './volumes.ts';
import { removeVolumes } from '../../storage/hostVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
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
  api: {
    mutation: 'removeDisk',
    description: 'Delete a disk with its snapshot volumes, giving the space back.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'Disk', id: r.id }),
  },
});
