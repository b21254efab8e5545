// A VM's snapshots as oVirt keeps them: one ACTIVE snapshot (the running configuration, on top
// of the newest regular snapshot), regular snapshots linked by parentId, and while a snapshot is
// previewed one PREVIEW snapshot holding what the VM was before the preview. The volume work each
// step does on the VM's disks lives here too, so restore can be preview + commit in one go.
import type { ActionContext } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import type { Reason } from '../../errors.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { account, deleteMemoryVolume, deleteVolumes, initialThin, volumeId } from '../disk/volumes.ts';
import type { Engine } from '../../engine.ts';
import { deleteVolumeImages, overlayTops, restoreTops } from '../../storage/chainVolumes.ts';

type Snapshot = Awaited<ReturnType<Tx['snapshot']['findUniqueOrThrow']>>;

/** The VM's disks that snapshots cover: attached, not shareable (oVirt leaves shareable disks out). */
export async function snapshotDisks(tx: Tx, vmId: string) {
  const attachments = await tx.diskAttachment.findMany({
    where: { vmId, disk: { shareable: false } },
    include: { disk: true },
    orderBy: { disk: { alias: 'asc' } },
  });
  return attachments.map((a) => a.disk);
}

/** The VM's ACTIVE snapshot, made on first use (VMs are created without one). */
export async function activeSnapshot(tx: Tx, vmId: string): Promise<Snapshot> {
  const active = await tx.snapshot.findFirst({ where: { vmId, type: 'ACTIVE' } });
  return active ?? tx.snapshot.create({ data: { vmId, type: 'ACTIVE', description: 'Active VM' } });
}

export function previewOf(tx: Tx, vmId: string) {
  return tx.snapshot.findFirst({ where: { vmId, type: 'PREVIEW' } });
}

export function notInPreview(preview: Snapshot | null, vmName: string): Reason | null {
  return refuseWhen(preview !== null, 'VM_IN_PREVIEW', `VM ${vmName} is previewing a snapshot; commit or undo the preview first.`);
}

/** A snapshot of this VM that may be previewed, restored or removed. */
export function regularSnapshotOf(s: Snapshot | null, vmId: string, snapshotId: string): Reason | null {
  return (
    refuseWhen(!s || s.vmId !== vmId, 'SNAPSHOT_NOT_FOUND', `Snapshot ${snapshotId} is not a snapshot of this VM.`) ??
    refuseWhen(
      s!.type !== 'REGULAR',
      'SNAPSHOT_NOT_REGULAR',
      `Snapshot ${s!.description} is the ${s!.type.toLowerCase()} state of the VM, not a snapshot.`,
    ) ??
    refuseWhen(s!.status !== 'OK', 'SNAPSHOT_LOCKED', `Snapshot ${s!.description} is ${s!.status}.`)
  );
}

/**
 * Previews `target`: the disks switch to new overlays on top of the snapshot's volumes; what the
 * VM was is kept in a PREVIEW snapshot. Disks the snapshot does not cover are left as they are.
 */
export async function startPreview(ctx: ActionContext, vmId: string, target: Snapshot, previewId: string): Promise<void> {
  const { tx } = ctx;
  const active = await activeSnapshot(tx, vmId);
  const preview = await tx.snapshot.create({
    data: { id: previewId, vmId, type: 'PREVIEW', description: 'Active VM before the preview', parentId: active.parentId },
  });
  // Memory saved with other disks than the ones it now runs on is not resumed (previewSnapshot may set the target's).
  await tx.vm.update({ where: { id: vmId }, data: { memoryToRestoreId: null } });
  await tx.snapshot.update({ where: { id: active.id }, data: { parentId: target.id } });
  for (const disk of await snapshotDisks(tx, vmId)) {
    const volume = await tx.disk.findUnique({ where: { id: volumeId(target.id, disk.id) } });
    if (!volume) continue;
    // The current top moves aside, locked until the preview ends.
    const { id, createdAt, updatedAt, ...rest } = disk;
    // The kept top's file is renamed after the new row's id.
    await tx.disk.create({ data: { ...rest, id: volumeId(preview.id, disk.id), imageId: null, status: 'LOCKED' } });
    const overlay = initialThin(disk.provisionedSizeBytes);
    await tx.disk.update({ where: { id }, data: { parentId: volume.id, format: 'COW', sparse: true, actualSizeBytes: overlay } });
    await account(tx, disk.storageDomainId, overlay);
  }
}

/** Ends a preview keeping the previewed state: the snapshots newer than it and the old top volumes go. */
export async function commitPreview(ctx: ActionContext, vmId: string, preview: Snapshot): Promise<Snapshot> {
  const { tx } = ctx;
  const active = await activeSnapshot(tx, vmId);
  const target = await tx.snapshot.findUniqueOrThrow({ where: { id: active.parentId! } });
  // Snapshots on the abandoned branch, newest first: from the PREVIEW's parent down to the target.
  const abandoned: Snapshot[] = [];
  for (let id = preview.parentId; id && id !== target.id; ) {
    const s = await tx.snapshot.findUniqueOrThrow({ where: { id } });
    abandoned.push(s);
    id = s.parentId;
  }
  const files: { domain: { id: string; path: string }; diskId: string; volume: { id: string; imageId: string | null } }[] = [];
  for (const disk of await snapshotDisks(tx, vmId)) {
    const ids = [preview, ...abandoned].map((s) => volumeId(s.id, disk.id));
    const stale = await tx.disk.findMany({ where: { id: { in: ids } }, include: { storageDomain: true } });
    await deleteVolumes(
      tx,
      ids.flatMap((vid) => stale.filter((v) => v.id === vid)),
    );
    for (const v of stale) files.push({ domain: v.storageDomain, diskId: disk.id, volume: v });
  }
  // Their files go once the rows are gone (nothing brings them back).
  const vm = await tx.vm.findUniqueOrThrow({ where: { id: vmId }, select: { cluster: { select: { dataCenterId: true } } } });
  ctx.afterCommit(() => deleteVolumeImages(ctx.engine, vm.cluster.dataCenterId, files));
  await tx.snapshot.delete({ where: { id: preview.id } });
  for (const s of abandoned) {
    await deleteMemoryVolume(tx, s.id);
    await tx.snapshot.delete({ where: { id: s.id } });
  }
  return target;
}

/** Ends a preview going back to what the VM was: the overlays go, the old tops come back. */
export async function undoPreview(ctx: ActionContext, vmId: string, preview: Snapshot): Promise<void> {
  const { tx } = ctx;
  const active = await activeSnapshot(tx, vmId);
  for (const disk of await snapshotDisks(tx, vmId)) {
    const kept = await tx.disk.findUnique({ where: { id: volumeId(preview.id, disk.id) } });
    if (!kept) continue;
    await account(tx, disk.storageDomainId, -disk.actualSizeBytes);
    await tx.disk.delete({ where: { id: kept.id } });
    await tx.disk.update({
      where: { id: disk.id },
      data: {
        parentId: kept.parentId,
        format: kept.format,
        sparse: kept.sparse,
        actualSizeBytes: kept.actualSizeBytes,
      },
    });
    // The kept volume's space was counted while it existed; it is the disk's again.
  }
  await tx.snapshot.update({ where: { id: active.id }, data: { parentId: preview.parentId } });
  await tx.snapshot.delete({ where: { id: preview.id } });
}

type Db = Engine['db'];

async function vmDisks(db: Db, vmId: string) {
  const vm = await db.vm.findUniqueOrThrow({ where: { id: vmId }, select: { cluster: { select: { dataCenterId: true } } } });
  const attachments = await db.diskAttachment.findMany({
    where: { vmId, disk: { shareable: false } },
    select: { disk: { include: { storageDomain: true } } },
  });
  return { dataCenterId: vm.cluster.dataCenterId, disks: attachments.map((a) => a.disk) };
}

/** The files of a preview (before its rows): each disk's top is kept as the PREVIEW volume and a new overlay sits on the snapshot's volume. */
export async function previewFiles(
  engine: Engine,
  vmId: string,
  snapshotId: string,
  previewId: string,
  title: string,
  compensate: (undo: () => Promise<void>) => void,
): Promise<void> {
  const { dataCenterId, disks } = await vmDisks(engine.db, vmId);
  const volumes = await engine.db.disk.findMany({ where: { id: { in: disks.map((d) => volumeId(snapshotId, d.id)) } } });
  const changes = disks.flatMap((disk) => {
    const volume = volumes.find((v) => v.id === volumeId(snapshotId, disk.id));
    return volume
      ? [
          {
            domain: disk.storageDomain,
            disk,
            sizeBytes: disk.provisionedSizeBytes,
            keepAsId: volumeId(previewId, disk.id),
            backing: volume,
            backingFormat: volume.format,
          },
        ]
      : [];
  });
  await overlayTops(engine, dataCenterId, title, changes, compensate);
}

/** The files of an undone preview (before its rows change): each disk's PREVIEW volume is its top again. */
export async function undoPreviewFiles(engine: Engine, vmId: string, previewId: string): Promise<void> {
  const { dataCenterId, disks } = await vmDisks(engine.db, vmId);
  const kept = await engine.db.disk.findMany({ where: { id: { in: disks.map((d) => volumeId(previewId, d.id)) } }, select: { id: true } });
  const restores = disks.flatMap((disk) =>
    kept.some((k) => k.id === volumeId(previewId, disk.id))
      ? [{ domain: disk.storageDomain, disk, keptId: volumeId(previewId, disk.id) }]
      : [],
  );
  await restoreTops(engine, dataCenterId, 'undo Snapshot preview', restores);
}
