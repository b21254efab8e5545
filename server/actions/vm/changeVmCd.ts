// oVirt's ChangeDisk ("Change CD"): put an ISO image in a VM's CD-ROM drive or eject it, with the
// CHANGE_VM_CD action group that UserRole has, so a VM's user need not be able to edit the VM.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { nodeId } from '../../validators/params.ts';
import { vmLock, vmObjects, vmOf, vmSubject } from '../snapshot/checks.ts';
import { cdChangeProblems, cdTarget, changeCdOnHost } from './cdromChange.ts';

const change = (p: { cdromImageId?: string; eject?: boolean }) => ({ cdromImageId: p.cdromImageId, ejectCdrom: p.eject });

export const changeVmCd = defineAction({
  type: 'ChangeVmCd',
  title: 'change CD',
  actionGroup: 'CHANGE_VM_CD',
  subject: vmSubject,
  params: z
    .object({
      vmId: nodeId('Vm', 'vm'),
      cdromImageId: nodeId('IsoImage', 'isoImage')
        .optional()
        .describe('The ISO image to put in (one of the VM’s isoImages); a running VM gets it at once.'),
      eject: z.boolean().optional().describe('Empty the drive instead.'),
    })
    .refine((p) => p.cdromImageId !== undefined || p.eject, { message: 'give an isoImage or eject', path: ['isoImage'] }),
  locks: vmLock,
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    return cdChangeProblems(tx, await vmOf(tx, p.vmId), change(p));
  },
  onHost: (ctx, p) => changeCdOnHost(ctx, p.vmId, change(p)),
  async execute({ tx, publish }, p) {
    const vm = await tx.vm.update({
      where: { id: p.vmId },
      data: { cdromImageId: cdTarget(change(p)) ?? null },
      include: { cluster: true, cdromImage: true },
    });
    publish('vm:changed', { id: vm.id, kind: 'updated' });
    return vm;
  },
  audit: (vm) => ({
    code: vm.cdromImage ? 'USER_CHANGE_DISK_VM' : 'USER_EJECT_VM_DISK',
    vars: { vmName: vm.name, isoName: vm.cdromImage?.name ?? '' },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'changeVmCd',
    description: "Put an ISO image in a VM's CD-ROM drive, or eject it (UserRole may); a running VM's host changes it at once.",
    payload: { field: 'vm', type: 'Vm' },
  },
});
