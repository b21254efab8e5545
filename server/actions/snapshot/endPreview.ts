// The two ends of a snapshot preview (oVirt's CommitSnapshotPreview and UndoSnapshotPreview).
import { z } from 'zod';
import { defineAction, type ActionContext } from '../defineAction.ts';
import { nodeId } from '../../validators/params.ts';
import { activeSnapshot, commitPreview, previewOf, undoPreview, undoPreviewFiles } from './snapshotTree.ts';
import { common, vmLock, vmObjects, vmOf, vmSubject } from './checks.ts';

const vmParams = z.object({ vmId: nodeId('Vm', 'vm').describe('A VM previewing a snapshot.') });

/** Ends the preview: commit keeps the previewed state, undo goes back to what the VM was. */
export function endPreview(kind: 'commit' | 'undo', api: { mutation: string; description: string }) {
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
    /** Undo: the SPM puts the disks' kept tops back first (commit only drops files, after its commit). */
    async onHost({ engine }, p) {
      const preview = await engine.db.snapshot.findFirst({ where: { vmId: p.vmId, type: 'PREVIEW' } });
      if (kind === 'undo' && preview) await undoPreviewFiles(engine, p.vmId, preview.id);
    },
    async execute(ctx: ActionContext, p) {
      const vm = await vmOf(ctx.tx, p.vmId);
      const preview = (await previewOf(ctx.tx, p.vmId))!;
      const active = await activeSnapshot(ctx.tx, vm.id);
      const target = await ctx.tx.snapshot.findUniqueOrThrow({ where: { id: active.parentId! } });
      if (kind === 'commit') await commitPreview(ctx, vm.id, preview);
      else {
        await undoPreview(ctx, vm.id, preview);
        // The previewed snapshot's memory no longer matches the disks.
        await ctx.tx.vm.update({ where: { id: vm.id }, data: { memoryToRestoreId: null } });
      }
      ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
      return { vm, snapshot: target };
    },
    audit: ({ vm, snapshot }) => ({
      code: kind === 'commit' ? 'USER_COMMIT_RESTORE_FROM_SNAPSHOT' : 'USER_UNDO_RESTORE_FROM_SNAPSHOT',
      vars: { snapshotDescription: snapshot.description, vmName: vm.name },
      objects: vmObjects(vm),
    }),
    api: { ...api, payload: { field: 'snapshot', type: 'Snapshot' }, result: (r) => r.snapshot },
  });
}
