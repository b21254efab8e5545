// oVirt's RestoreAllSnapshots: preview and commit in one step.
import { randomUUID } from 'node:crypto';
import { defineAction } from '../defineAction.ts';
import { commitPreview, previewFiles, previewOf, startPreview } from './snapshotTree.ts';
import { previewSnapshot } from './previewSnapshot.ts';
import { snapshotParams, vmLock, vmObjects, vmOf, vmSubject } from './checks.ts';

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
  /** The SPM puts the disks on the snapshot first; the old tops' files go after the commit. */
  async onHost({ engine, compensate }, p) {
    const previewId = randomUUID();
    await previewFiles(engine, p.vmId, p.snapshotId, previewId, 'restore Snapshot', compensate);
    return previewId;
  },
  async execute(ctx, p, _marked, previewId) {
    const vm = await vmOf(ctx.tx, p.vmId);
    const snapshot = await ctx.tx.snapshot.findUniqueOrThrow({ where: { id: p.snapshotId } });
    await startPreview(ctx, vm.id, snapshot, previewId);
    await commitPreview(ctx, vm.id, (await previewOf(ctx.tx, vm.id))!);
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { vm, snapshot };
  },
  audit: ({ vm, snapshot }) => ({
    code: 'USER_RESTORE_FROM_SNAPSHOT',
    vars: { snapshotDescription: snapshot.description, vmName: vm.name },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'restoreSnapshot',
    description: 'Return the Down VM to a snapshot at once (preview + commit); newer snapshots are dropped.',
    payload: { field: 'snapshot', type: 'Snapshot' },
    result: (r) => r.snapshot,
  },
});
