import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { DiskRef } from '../schema/types/disk.ts';
import { localId } from '../schema/ids.ts';
import { removed } from '../schema/inputs.ts';
import { memoryVolumeId, volumeId } from '../server/actions/disk/volumes.ts';
import { commitSnapshot, previewSnapshot, removeSnapshot, restoreSnapshot, undoSnapshot } from '../server/actions/snapshot/snapshotActions.ts';
import { createSnapshot } from '../server/actions/snapshot/createSnapshot.ts';

builder.prismaObjectFields('Snapshot', (t) => ({
  children: t.relation('children', { query: { orderBy: { createdAt: 'asc' } }, description: 'Snapshots taken on top of this one (the ACTIVE state among them).' }),
  disks: t.field({
    type: [DiskRef],
    description: "The volume of each of the VM's disks that holds this snapshot's data (for ACTIVE: the disks themselves).",
    select: { id: true, vmId: true, type: true },
    resolve: async (s, _args, ctx) => {
      const attached = await ctx.db.diskAttachment.findMany({ where: { vmId: s.vmId, disk: { shareable: false } }, select: { diskId: true } });
      const ids = attached.map((a) => (s.type === 'ACTIVE' ? a.diskId : volumeId(s.id, a.diskId)));
      return ctx.db.disk.findMany({ where: { id: { in: ids } }, orderBy: { alias: 'asc' } });
    },
  }),
  memoryDisk: t.field({
    type: DiskRef,
    nullable: true,
    description: 'The volume holding the memory of a snapshot taken with memory of a running VM.',
    select: { id: true, withMemory: true },
    resolve: (s, _args, ctx) => (s.withMemory ? ctx.db.disk.findUnique({ where: { id: memoryVolumeId(s.id) } }) : null),
  }),
}));

const CreateInput = builder.inputType('CreateSnapshotInput', {
  fields: (t) => ({
    vm: t.id({ required: true }),
    description: t.string({ required: true }),
    withMemory: t.boolean({ required: false, description: "Also save the running VM's memory (ignored when the VM is Down)." }),
  }),
});
const snapshotInput = (name: string) => builder.inputType(name, {
  fields: (t) => ({ vm: t.id({ required: true }), snapshot: t.id({ required: true, description: 'A snapshot of that VM.' }) }),
});
const previewEndInput = (name: string) => builder.inputType(name, { fields: (t) => ({ vm: t.id({ required: true, description: 'A VM previewing a snapshot.' }) }) });

const vmAndSnapshot = (i: { vm: string | number; snapshot: string | number }) =>
  ({ vmId: localId(String(i.vm), 'Vm', 'vm'), snapshotId: localId(String(i.snapshot), 'Snapshot', 'snapshot') });

const createParams = (i: typeof CreateInput.$inferInput) =>
  ({ vmId: localId(String(i.vm), 'Vm', 'vm'), description: i.description, withMemory: i.withMemory ?? false });

actionField('createSnapshot', {
  action: createSnapshot,
  description: "Snapshot all the VM's disks (and, with withMemory, a running VM's memory through its host agent).",
  input: CreateInput, type: 'Snapshot', dataField: 'snapshot', params: createParams, resolve: (r) => r.snapshot,
});
actionField('previewSnapshot', {
  action: previewSnapshot, description: 'Run the Down VM on a snapshot for a try: its disks switch to the snapshot; commit or undo ends it.',
  input: snapshotInput('PreviewSnapshotInput'), type: 'Snapshot', dataField: 'snapshot', params: vmAndSnapshot, resolve: (r) => r.snapshot,
});
actionField('commitSnapshot', {
  action: commitSnapshot, description: 'Keep the previewed snapshot as the VM\'s state; newer snapshots and the state before the preview are dropped.',
  input: previewEndInput('CommitSnapshotInput'), type: 'Snapshot', dataField: 'snapshot', params: (i) => ({ vmId: localId(String(i.vm), 'Vm', 'vm') }), resolve: (r) => r.snapshot,
});
actionField('undoSnapshot', {
  action: undoSnapshot, description: 'End a preview and go back to what the VM was before it.',
  input: previewEndInput('UndoSnapshotInput'), type: 'Snapshot', dataField: 'snapshot', params: (i) => ({ vmId: localId(String(i.vm), 'Vm', 'vm') }), resolve: (r) => r.snapshot,
});
actionField('restoreSnapshot', {
  action: restoreSnapshot, description: 'Return the Down VM to a snapshot at once (preview + commit); newer snapshots are dropped.',
  input: snapshotInput('RestoreSnapshotInput'), type: 'Snapshot', dataField: 'snapshot', params: vmAndSnapshot, resolve: (r) => r.snapshot,
});
actionField('removeSnapshot', {
  action: removeSnapshot, description: 'Remove a snapshot of a Down VM, merging its volumes into the ones above them.',
  input: snapshotInput('RemoveSnapshotInput'), type: RemovedRef, dataField: 'removed', params: vmAndSnapshot, resolve: (r) => removed('Snapshot', r.snapshot.id),
});
