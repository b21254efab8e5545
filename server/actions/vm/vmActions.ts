import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { removeVolumes } from '../../storage/hostVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { deleteMemoryVolume, deleteVolumes, ownChain } from '../disk/volumes.ts';
import { description, id } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { guaranteedWithinMemory, vmHardware, vmIsDown, vmName } from '../../validators/vmValidator.ts';

const HARDWARE_KEYS = ['cpuSockets', 'cpuCores', 'cpuThreads', 'memoryMb', 'guaranteedMemoryMb'] as const;

export const updateVm = defineAction({
  type: 'UpdateVm',
  title: 'update VM',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({ vmId: id, name: vmName.optional(), description: description.optional(), ...vmHardware }),
  locks: (p) => [lockKey('Vm', p.vmId), ...(p.name ? [lockKey('VmName', p.name)] : [])],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = found(await tx.vm.findUnique({ where: { id: p.vmId }, include: { cluster: true } }), 'VM', p.vmId);
    const taken = p.name && p.name !== vm.name
      ? await tx.vm.count({ where: { name: p.name, cluster: { dataCenterId: vm.cluster.dataCenterId } } }) : 0;
    const hardwareChange = HARDWARE_KEYS.some((k) => p[k] !== undefined && p[k] !== vm[k]);
    return [
      nameFree(taken > 0, 'VM', p.name ?? ''),
      hardwareChange ? vmIsDown(vm) : null,
      guaranteedWithinMemory(p.memoryMb ?? vm.memoryMb, p.guaranteedMemoryMb ?? Math.min(vm.guaranteedMemoryMb, p.memoryMb ?? vm.memoryMb)),
    ];
  },
  async execute({ tx, publish }, { vmId, ...data }) {
    const before = await tx.vm.findUniqueOrThrow({ where: { id: vmId } });
    // Shrinking memory below the guarantee lowers the guarantee with it.
    const guaranteedMemoryMb = data.guaranteedMemoryMb ?? Math.min(before.guaranteedMemoryMb, data.memoryMb ?? before.memoryMb);
    const vm = await tx.vm.update({ where: { id: vmId }, data: { ...data, guaranteedMemoryMb }, include: { cluster: true } });
    publish('vm:changed', { id: vm.id, kind: 'updated' });
    return vm;
  },
  audit: (vm) => ({ code: 'USER_UPDATE_VM', vars: { vmName: vm.name }, objects: { vmId: vm.id, clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId } }),
});

export const removeVm = defineAction({
  type: 'RemoveVm',
  title: 'remove VM',
  actionGroup: 'DELETE_VM',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({ vmId: id, removeDisks: z.boolean().default(true) }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = found(await tx.vm.findUnique({ where: { id: p.vmId }, include: { cluster: true, _count: { select: { diskAttachments: true } } } }), 'VM', p.vmId);
    return [vmIsDown(vm), p.removeDisks && vm._count.diskAttachments ? await storageHostAvailable(tx, vm.cluster.dataCenterId) : null];
  },
  async execute({ tx, engine, publish, afterCommit }, p) {
    const vm = await tx.vm.findUniqueOrThrow({ where: { id: p.vmId },
      include: { cluster: true, diskAttachments: { include: { disk: true } }, snapshots: { select: { id: true } } } });
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
    const domains = await tx.storageDomain.findMany({ where: { id: { in: removed.map((d) => d.storageDomainId) } }, select: { id: true, path: true } });
    afterCommit(() => removeVolumes(engine, vm.cluster.dataCenterId, removed.map((d) => ({ domain: domains.find((x) => x.id === d.storageDomainId)!, diskId: d.id }))));
    publish('vm:changed', { id: vm.id, kind: 'removed' });
    return vm;
  },
  audit: (vm) => ({ code: 'USER_REMOVE_VM', vars: { vmName: vm.name }, objects: { clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId } }),
});
