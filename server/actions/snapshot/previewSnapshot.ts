// oVirt's TryBackToAllSnapshotsOfVm: the Down VM runs on a snapshot for a try; commit or undo ends it.
import { randomUUID } from 'node:crypto';
import { defineAction } from '../defineAction.ts';
import { previewFiles, startPreview } from './snapshotTree.ts';
import { common, overlaysFit, snapshotParams, vmLock, vmObjects, vmOf, vmSubject } from './checks.ts';

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
    description: 'Run the Down VM on a snapshot for a try: its disks switch to the snapshot; commit or undo ends it.',
    payload: { field: 'snapshot', type: 'Snapshot' },
    result: (r) => r.snapshot,
  },
});
