// oVirt's RemoveSnapshot (cold merge).
import { defineAction } from '../defineAction.ts';
import { account, deleteMemoryVolume, volumeId } from '../disk/volumes.ts';
import { snapshotDisks } from './snapshotTree.ts';
import { mergeVolumes } from '../../storage/chainVolumes.ts';
import { common, snapshotParams, vmLock, vmObjects, vmOf, vmSubject } from './checks.ts';

/**
 * Removes a snapshot by merging its volume of each disk into the volume above it (cold merge:
 * the VM must be Down). The merged volume takes the data of both, so its actual size grows by
 * what the removed volume held, up to the virtual size; the difference is freed on the domain.
 */
export const removeSnapshot = defineAction({
  type: 'RemoveSnapshot',
  title: 'remove Snapshot',
  actionGroup: 'MANIPULATE_VM_SNAPSHOTS',
  subject: vmSubject,
  params: snapshotParams,
  locks: vmLock,
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    return (await common(tx, p, { down: true })).reasons;
  },
  /** The SPM merges the files first: each snapshot volume into the volume above it. */
  async onHost({ engine }, p) {
    const vm = await engine.db.vm.findUniqueOrThrow({ where: { id: p.vmId }, select: { cluster: { select: { dataCenterId: true } } } });
    const attachments = await engine.db.diskAttachment.findMany({
      where: { vmId: p.vmId, disk: { shareable: false } },
      select: { disk: { include: { storageDomain: true } } },
    });
    const merges = [];
    for (const { disk } of attachments) {
      const above = await engine.db.disk.findFirst({ where: { parentId: volumeId(p.snapshotId, disk.id) } });
      if (above) merges.push({ domain: disk.storageDomain, diskId: disk.id, volumeId: volumeId(p.snapshotId, disk.id), aboveId: above.id });
    }
    await mergeVolumes(engine, vm.cluster.dataCenterId, 'remove Snapshot', merges);
  },
  async execute(ctx, p) {
    const { tx } = ctx;
    const vm = await vmOf(tx, p.vmId);
    const snapshot = await tx.snapshot.findUniqueOrThrow({ where: { id: p.snapshotId } });
    for (const disk of await snapshotDisks(tx, vm.id)) {
      const volume = await tx.disk.findUnique({ where: { id: volumeId(snapshot.id, disk.id) } });
      if (!volume) continue;
      const above = await tx.disk.findFirstOrThrow({ where: { parentId: volume.id } });
      const sum = volume.actualSizeBytes + above.actualSizeBytes;
      const merged = !volume.sparse ? above.provisionedSizeBytes : sum < above.provisionedSizeBytes ? sum : above.provisionedSizeBytes;
      // Merged into the bottom of the disk's own chain, the data lives in a volume of the bottom's kind.
      const bottom = volume.parentId === null || (await tx.disk.findUniqueOrThrow({ where: { id: volume.parentId } })).templateId !== null;
      await tx.disk.update({
        where: { id: above.id },
        data: {
          parentId: volume.parentId,
          actualSizeBytes: merged,
          ...(bottom ? { format: volume.format, sparse: volume.sparse } : {}),
        },
      });
      await tx.disk.delete({ where: { id: volume.id } });
      await account(tx, volume.storageDomainId, merged - sum);
    }
    await deleteMemoryVolume(tx, snapshot.id);
    await tx.snapshot.updateMany({ where: { parentId: snapshot.id }, data: { parentId: snapshot.parentId } });
    await tx.snapshot.delete({ where: { id: snapshot.id } });
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { vm, snapshot };
  },
  audit: ({ vm, snapshot }) => ({
    code: 'USER_REMOVE_SNAPSHOT',
    vars: { snapshotDescription: snapshot.description, vmName: vm.name },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'removeSnapshot',
    description: 'Remove a snapshot of a Down VM, merging its volumes into the ones above them.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'Snapshot', id: r.snapshot.id }),
  },
});
