import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { removeVolumes } from '../../storage/hostVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { deleteMemoryVolume, deleteVolumes, ownChain } from '../disk/volumes.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';

export const removeVm = defineAction({
  type: 'RemoveVm',
  title: 'remove VM',
  actionGroup: 'DELETE_VM',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({ vmId: nodeId('Vm', 'id'), removeDisks: z.boolean().default(true).describe('Also delete its disks (default true).') }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = found(
      await tx.vm.findUnique({ where: { id: p.vmId }, include: { cluster: true, _count: { select: { diskAttachments: true } } } }),
      'VM',
      p.vmId,
    );
    return [vmIsDown(vm), p.removeDisks && vm._count.diskAttachments ? await storageHostAvailable(tx, vm.cluster.dataCenterId) : null];
  },
  async execute({ tx, engine, publish, afterCommit }, p) {
    const vm = await tx.vm.findUniqueOrThrow({
      where: { id: p.vmId },
      include: { cluster: true, diskAttachments: { include: { disk: true } }, snapshots: { select: { id: true } } },
    });
    // Memory dumps belong to the snapshots, which go with the VM.
    for (const s of vm.snapshots) await deleteMemoryVolume(tx, s.id);
    const removed: { id: string; storageDomainId: string }[] = [];
    if (p.removeDisks) {
      for (const { disk } of vm.diskAttachments) {
        // Shareable disks attached elsewhere stay.
        if (await tx.diskAttachment.count({ where: { diskId: disk.id, vmId: { not: vm.id } } })) continue;
        await deleteVolumes(tx, await ownChain(tx, disk)); // with the snapshot volumes under it
        removed.push(disk);
      }
    }
    await tx.vm.delete({ where: { id: vm.id } });
    // The volumes after the commit, as nothing can bring them back.
    const domains = await tx.storageDomain.findMany({
      where: { id: { in: removed.map((d) => d.storageDomainId) } },
      select: { id: true, path: true },
    });
    afterCommit(() =>
      removeVolumes(
        engine,
        vm.cluster.dataCenterId,
        removed.map((d) => ({ domain: domains.find((x) => x.id === d.storageDomainId)!, diskId: d.id })),
      ),
    );
    publish('vm:changed', { id: vm.id, kind: 'removed' });
    return vm;
  },
  audit: (vm) => ({
    code: 'USER_REMOVE_VM',
    vars: { vmName: vm.name },
    objects: { clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId },
  }),
  api: {
    mutation: 'removeVm',
    description: 'Remove a VM that is Down, with its disks unless asked to keep them.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'Vm', id: r.id }),
  },
});
