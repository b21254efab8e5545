import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { disksUsable } from './volumes.ts';
import { notInPreview, previewOf } from '../snapshot/snapshotTree.ts';
import { diskInterface, diskOf, isUserDisk } from './diskChecks.ts';

export const attachDisk = defineAction({
  type: 'AttachDiskToVm',
  title: 'attach Disk',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({
    diskId: nodeId('Disk', 'disk'),
    vmId: nodeId('Vm', 'vm'),
    bootable: z.boolean().default(false),
    interface: diskInterface.default('VIRTIO_SCSI'),
    active: z.boolean().default(true).describe('Plugged (default) or attached unplugged.'),
  }),
  locks: (p) => [lockKey('Disk', p.diskId), lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const disk = await diskOf(tx, p.diskId);
    const vm = found(await tx.vm.findUnique({ where: { id: p.vmId }, include: { cluster: true } }), 'VM', p.vmId);
    const bootable = p.bootable ? await tx.diskAttachment.count({ where: { vmId: vm.id, bootable: true } }) : 0;
    return [
      await isUserDisk(tx, disk),
      disksUsable([disk]),
      refuseWhen(
        disk.attachments.some((a) => a.vmId === vm.id),
        'DISK_ALREADY_ATTACHED',
        `Disk ${disk.alias} is already attached to VM ${vm.name}.`,
      ),
      refuseWhen(
        !disk.shareable && disk.attachments.some((a) => a.vmId !== vm.id),
        'DISK_ATTACHED_TO_OTHER_VM',
        `Disk ${disk.alias} is attached to VM ${disk.attachments[0]?.vm.name} and is not shareable.`,
      ),
      refuseWhen(
        disk.storageDomain.dataCenterId !== vm.cluster.dataCenterId,
        'DISK_NOT_IN_VM_DATA_CENTER',
        `Disk ${disk.alias} is on storage of another data center.`,
      ),
      notInPreview(await previewOf(tx, vm.id), vm.name),
      refuseWhen(bootable > 0, 'VM_HAS_BOOTABLE_DISK', `VM ${vm.name} already has a bootable disk.`),
    ];
  },
  async execute({ tx, publish }, p) {
    const attachment = await tx.diskAttachment.create({
      data: { vmId: p.vmId, diskId: p.diskId, bootable: p.bootable, interface: p.interface, active: p.active },
      include: { vm: true, disk: true },
    });
    publish('vm:changed', { id: p.vmId, kind: 'updated' });
    return attachment;
  },
  audit: (a) => ({
    code: 'USER_ATTACH_DISK_TO_VM',
    vars: { diskAlias: a.disk.alias, vmName: a.vm.name },
    objects: { vmId: a.vmId, clusterId: a.vm.clusterId, storageDomainId: a.disk.storageDomainId },
  }),
  api: {
    mutation: 'attachDisk',
    description: 'Attach a floating (or shareable) disk to a VM.',
    payload: { field: 'diskAttachment', type: 'DiskAttachment' },
  },
});
