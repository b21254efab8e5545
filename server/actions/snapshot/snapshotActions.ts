// Snapshots of a VM after they are taken (oVirt's TryBackToAllSnapshotsOfVm, RestoreAllSnapshots,
// RemoveSnapshot). Every snapshot covers all the VM's non-shareable disks; see createSnapshot.ts.
import { z } from 'zod';
import { defineAction, type ActionContext } from '../defineAction.ts';
import { id } from '../../validators/params.ts';
import { account, deleteMemoryVolume, volumeId } from '../disk/volumes.ts';
import { activeSnapshot, commitPreview, previewOf, snapshotDisks, startPreview, undoPreview } from './snapshotTree.ts';
import { common, overlaysFit, vmLock, vmObjects, vmOf, vmSubject } from './checks.ts';

const snapshotParams = z.object({ vmId: id, snapshotId: id });

export const previewSnapshot = defineAction({
  type: 'TryBackToAllSnapshotsOfVm',
  title: 'preview Snapshot',
  actionGroup: 'MANIPULATE_VM_SNAPSHOTS',
  subject: vmSubject,
  params: snapshotParams,
  locks: vmLock,
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const { disks, reasons } = await common(tx, p, { down: true });
    return [...reasons, ...(await overlaysFit(tx, disks))];
  },
  async execute(ctx, p) {
    const vm = await vmOf(ctx.tx, p.vmId);
    const snapshot = await ctx.tx.snapshot.findUniqueOrThrow({ where: { id: p.snapshotId } });
    await startPreview(ctx, vm.id, snapshot);
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { vm, snapshot };
  },
  audit: ({ vm, snapshot }) => ({ code: 'USER_TRY_BACK_TO_SNAPSHOT', vars: { snapshotDescription: snapshot.description, vmName: vm.name }, objects: vmObjects(vm) }),
});

const vmParams = z.object({ vmId: id });

/** Ends the preview: commit keeps the previewed state, undo goes back to what the VM was. */
function endPreview(kind: 'commit' | 'undo') {
  return defineAction({
    type: kind === 'commit' ? 'CommitSnapshotPreview' : 'UndoSnapshotPreview',
    title: kind === 'commit' ? 'commit Snapshot preview' : 'undo Snapshot preview',
    actionGroup: 'MANIPULATE_VM_SNAPSHOTS',
    subject: vmSubject,
    params: vmParams,
    locks: vmLock,
    objects: (p) => ({ vmId: p.vmId }),
    async validate({ tx }, p) {
      return (await common(tx, p, { down: true, inPreview: true })).reasons;
    },
    async execute(ctx: ActionContext, p) {
      const vm = await vmOf(ctx.tx, p.vmId);
      const preview = (await previewOf(ctx.tx, p.vmId))!;
      const active = await activeSnapshot(ctx.tx, vm.id);
      const target = await ctx.tx.snapshot.findUniqueOrThrow({ where: { id: active.parentId! } });
      if (kind === 'commit') await commitPreview(ctx, vm.id, preview); else await undoPreview(ctx, vm.id, preview);
      ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
      return { vm, snapshot: target };
    },
    audit: ({ vm, snapshot }) => ({
      code: kind === 'commit' ? 'USER_COMMIT_RESTORE_FROM_SNAPSHOT' : 'USER_UNDO_RESTORE_FROM_SNAPSHOT',
      vars: { snapshotDescription: snapshot.description, vmName: vm.name }, objects: vmObjects(vm) }),
  });
}
export const commitSnapshot = endPreview('commit');
export const undoSnapshot = endPreview('undo');

/** Preview and commit in one step: the VM goes back to the snapshot, newer snapshots are dropped. */
export const restoreSnapshot = defineAction({
  type: 'RestoreAllSnapshots',
  title: 'restore Snapshot',
  actionGroup: 'MANIPULATE_VM_SNAPSHOTS',
  subject: vmSubject,
  params: snapshotParams,
  locks: vmLock,
  objects: (p) => ({ vmId: p.vmId }),
  validate: previewSnapshot.validate,
  async execute(ctx, p) {
    const vm = await vmOf(ctx.tx, p.vmId);
    const snapshot = await ctx.tx.snapshot.findUniqueOrThrow({ where: { id: p.snapshotId } });
    await startPreview(ctx, vm.id, snapshot);
    await commitPreview(ctx, vm.id, (await previewOf(ctx.tx, vm.id))!);
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { vm, snapshot };
  },
  audit: ({ vm, snapshot }) => ({ code: 'USER_RESTORE_FROM_SNAPSHOT', vars: { snapshotDescription: snapshot.description, vmName: vm.name }, objects: vmObjects(vm) }),
});

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
      await tx.disk.update({ where: { id: above.id }, data: {
        parentId: volume.parentId, actualSizeBytes: merged, ...(bottom ? { format: volume.format, sparse: volume.sparse } : {}) } });
      await tx.disk.delete({ where: { id: volume.id } });
      await account(tx, volume.storageDomainId, merged - sum);
    }
    await deleteMemoryVolume(tx, snapshot.id);
    await tx.snapshot.updateMany({ where: { parentId: snapshot.id }, data: { parentId: snapshot.parentId } });
    await tx.snapshot.delete({ where: { id: snapshot.id } });
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { vm, snapshot };
  },
  audit: ({ vm, snapshot }) => ({ code: 'USER_REMOVE_SNAPSHOT', vars: { snapshotDescription: snapshot.description, vmName: vm.name }, objects: vmObjects(vm) }),
});
