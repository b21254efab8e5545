import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import { disksUsable } from './volumes.ts';
import { notInPreview, previewOf } from '../snapshot/snapshotTree.ts';
import { diskOf, hasSnapshots } from './diskChecks.ts';

export const detachDisk = defineAction({
  type: 'DetachDiskFromVm',
  title: 'detach Disk',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({ diskId: nodeId('Disk', 'disk'), vmId: nodeId('Vm', 'vm') }),
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
      refuseWhen(
        await hasSnapshots(tx, disk),
        'DISK_HAS_SNAPSHOTS',
        `Disk ${disk.alias} has snapshot volumes of VM ${attachment.vm.name}; remove those snapshots first.`,
      ),
    ];
  },
  async execute({ tx, publish }, p) {
    const attachment = await tx.diskAttachment.delete({
      where: { vmId_diskId: { vmId: p.vmId, diskId: p.diskId } },
      include: { vm: true, disk: true },
    });
    publish('vm:changed', { id: p.vmId, kind: 'updated' });
    return attachment;
  },
  audit: (a) => ({
    code: 'USER_DETACH_DISK_FROM_VM',
    vars: { diskAlias: a.disk.alias, vmName: a.vm.name },
    objects: { vmId: a.vmId, clusterId: a.vm.clusterId, storageDomainId: a.disk.storageDomainId },
  }),
  api: {
    mutation: 'detachDisk',
    description: 'Detach a disk from a VM; the disk stays, floating.',
    payload: { field: 'disk', type: 'Disk' },
    result: (a) => a.disk,
  },
});
