// Checks and small helpers the snapshot actions share.
import { z } from 'zod';
import type { Tx } from '../../db.ts';
import { nodeId } from '../../validators/params.ts';
import { lockKey } from '../locks.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import { disksUsable, initialThin, needsByDomain, roomFor } from '../disk/volumes.ts';
import { notInPreview, previewOf, regularSnapshotOf, snapshotDisks } from './snapshotTree.ts';

/** A VM and one of its snapshots, as the snapshot actions take them. */
export const snapshotParams = z.object({
  vmId: nodeId('Vm', 'vm'),
  snapshotId: nodeId('Snapshot', 'snapshot').describe('A snapshot of that VM.'),
});

export async function vmOf(tx: Tx, vmId: string) {
  return found(await tx.vm.findUnique({ where: { id: vmId }, include: { cluster: true } }), 'VM', vmId);
}
export const vmObjects = (vm: { id: string; clusterId: string; cluster: { dataCenterId: string } }) => ({
  vmId: vm.id,
  clusterId: vm.clusterId,
  dataCenterId: vm.cluster.dataCenterId,
});
export const vmSubject = <P extends { vmId: string }>(p: P) => ({ type: 'VM' as const, id: p.vmId });
export const vmLock = <P extends { vmId: string }>(p: P) => [lockKey('Vm', p.vmId)];

/** Checks shared by the snapshot actions: the VM, its disks and (when asked) its snapshot. */
export async function common(tx: Tx, p: { vmId: string; snapshotId?: string }, opts: { down: boolean; inPreview?: boolean }) {
  const vm = await vmOf(tx, p.vmId);
  const preview = await previewOf(tx, p.vmId);
  const disks = await snapshotDisks(tx, p.vmId);
  const reasons: ReturnType<typeof refuseWhen>[] = [
    opts.down ? vmIsDown(vm) : null,
    opts.inPreview
      ? refuseWhen(!preview, 'VM_NOT_IN_PREVIEW', `VM ${vm.name} is not previewing a snapshot.`)
      : notInPreview(preview, vm.name),
    disksUsable(disks),
  ];
  const snapshot = p.snapshotId ? await tx.snapshot.findUnique({ where: { id: p.snapshotId } }) : null;
  if (p.snapshotId) reasons.push(regularSnapshotOf(snapshot, p.vmId, p.snapshotId));
  return { vm, preview, disks, snapshot, reasons };
}

/** The snapshot's new overlays need a thin volume's metadata on each disk's domain (and the memory dump its size). */
export function overlaysFit(
  tx: Tx,
  disks: { storageDomainId: string; provisionedSizeBytes: bigint }[],
  memory?: { storageDomainId: string; bytes: bigint } | null,
) {
  return roomFor(
    tx,
    needsByDomain([
      ...disks.map((d) => ({ storageDomainId: d.storageDomainId, bytes: initialThin(d.provisionedSizeBytes) })),
      ...(memory ? [memory] : []),
    ]),
  );
}
