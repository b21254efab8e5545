// oVirt's TryBackToAllSnapshotsOfVm: the Down VM runs on a snapshot for a try; commit or undo ends it.
// With restoreMemory, a snapshot taken with memory: the VM's next run resumes the guest as it was
// then (from the memory volume) instead of booting it.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { memoryVolumeId } from '../disk/volumes.ts';
import { previewFiles, startPreview } from './snapshotTree.ts';
import { common, overlaysFit, snapshotParams, vmLock, vmObjects, vmOf, vmSubject } from './checks.ts';

export const previewSnapshot = defineAction({
  type: 'TryBackToAllSnapshotsOfVm',
  title: 'preview Snapshot',
  actionGroup: 'MANIPULATE_VM_SNAPSHOTS',
  subject: vmSubject,
  params: snapshotParams.extend({
    restoreMemory: z
      .boolean()
      .default(false)
      .describe(
        "Resume the guest from the snapshot's saved memory on the VM's next run, instead of booting it (a snapshot taken with memory).",
      ),
  }),
  locks: vmLock,
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const { disks, reasons } = await common(tx, p, { down: true });
    const memory = p.restoreMemory ? await tx.disk.count({ where: { id: memoryVolumeId(p.snapshotId) } }) : 1;
    return [
      ...reasons,
      refuseWhen(!memory, 'SNAPSHOT_HAS_NO_MEMORY', 'The snapshot was taken without the VM’s memory: preview it without restoring memory.'),
      ...(await overlaysFit(tx, disks)),
    ];
  },
  /** The SPM switches the disks' files first. */
  async onHost({ engine, compensate }, p) {
    const previewId = randomUUID();
    await previewFiles(engine, p.vmId, p.snapshotId, previewId, 'preview Snapshot', compensate);
    return previewId;
  },
  async execute(ctx, p, _marked, previewId) {
    const vm = await vmOf(ctx.tx, p.vmId);
    const snapshot = await ctx.tx.snapshot.findUniqueOrThrow({ where: { id: p.snapshotId } });
    await startPreview(ctx, vm.id, snapshot, previewId);
    if (p.restoreMemory) await ctx.tx.vm.update({ where: { id: vm.id }, data: { memoryToRestoreId: memoryVolumeId(snapshot.id) } });
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { vm, snapshot };
  },
  audit: ({ vm, snapshot }) => ({
    code: 'USER_TRY_BACK_TO_SNAPSHOT',
    vars: { snapshotDescription: snapshot.description, vmName: vm.name },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'previewSnapshot',
    description:
      'Run the Down VM on a snapshot for a try: its disks switch to the snapshot (and, with restoreMemory, its next run resumes the saved memory); commit or undo ends it.',
    payload: { field: 'snapshot', type: 'Snapshot' },
    result: (r) => r.snapshot,
  },
});
