// Disk images as volume chains, the way oVirt keeps them (images with parentid). A Disk row is
// one volume. The row a VM's DiskAttachment points to is the disk as the user knows it, and its
// id never changes: it is always the top (active) volume. Taking a snapshot copies the top
// volume's metadata into a new read-only volume below it and turns the top into a fresh COW
// overlay, so the chain grows downwards from the user's point of view:
//
//   attached disk (active COW overlay) → volume of snapshot N → … → volume of snapshot 1 → template disk | none
//
// The schema has no column linking a volume to its snapshot, so the volume of snapshot S for
// disk D has a derived id, volumeId(S, D), found by lookup rather than by a foreign key.
import { createHash } from 'node:crypto';
import type { Tx } from '../../db.ts';
import type { Reason } from '../../errors.ts';
import { refuseWhen } from '../../validators/reasons.ts';

/** A new thin volume holds only its qcow2 metadata (as addVm accounts it). */
export const INITIAL_THIN_BYTES = 1n << 20n;

/** What a fresh thin COW volume of this virtual size takes on storage. */
export function initialThin(provisioned: bigint): bigint {
  return provisioned < INITIAL_THIN_BYTES ? provisioned : INITIAL_THIN_BYTES;
}

/** The id of the volume that holds snapshot `snapshotId`'s data of disk `diskId` (a version 5 shaped UUID). */
export function volumeId(snapshotId: string, diskId: string): string {
  const h = createHash('sha1').update(`vireo-volume:${snapshotId}:${diskId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The id of the memory dump volume of a snapshot taken with memory. */
export function memoryVolumeId(snapshotId: string): string {
  return volumeId(snapshotId, 'memory');
}

/** Whether a disk is the memory dump of some snapshot (those belong to their snapshot, not to users). */
export async function isMemoryDump(tx: Tx, diskId: string): Promise<boolean> {
  const withMemory = await tx.snapshot.findMany({ where: { withMemory: true }, select: { id: true } });
  return withMemory.some((s) => memoryVolumeId(s.id) === diskId);
}

/** Deletes a snapshot's memory dump volume, if it has one. */
export async function deleteMemoryVolume(tx: Tx, snapshotId: string): Promise<void> {
  const volume = await tx.disk.findUnique({ where: { id: memoryVolumeId(snapshotId) } });
  if (!volume) return;
  await tx.vm.updateMany({ where: { memoryToRestoreId: volume.id }, data: { memoryToRestoreId: null } });
  await deleteVolumes(tx, [volume]);
}

type DiskRow = Awaited<ReturnType<Tx['disk']['findUniqueOrThrow']>>;

/** The disk's own volumes, top first: the disk itself and the snapshot volumes under it, not the template's disk. */
export async function ownChain(tx: Tx, disk: DiskRow): Promise<DiskRow[]> {
  const chain = [disk];
  for (let parentId = disk.parentId; parentId; ) {
    const parent = await tx.disk.findUniqueOrThrow({ where: { id: parentId } });
    if (parent.templateId) break;
    chain.push(parent);
    parentId = parent.parentId;
  }
  return chain;
}

/** Adds (or with a negative amount gives back) space on a storage domain. */
export async function account(tx: Tx, storageDomainId: string, bytes: bigint): Promise<void> {
  if (bytes !== 0n) await tx.storageDomain.update({ where: { id: storageDomainId }, data: { usedBytes: { increment: bytes } } });
}

/** Deletes volumes (children before parents) and gives their space back. */
export async function deleteVolumes(tx: Tx, topFirst: DiskRow[]): Promise<void> {
  for (const v of topFirst) {
    await tx.disk.delete({ where: { id: v.id } });
    await account(tx, v.storageDomainId, -v.actualSizeBytes);
  }
}

/** Each storage domain has room for what the new volumes take now (bytes by domain id). */
export async function roomFor(tx: Tx, needs: Map<string, bigint>): Promise<(Reason | null)[]> {
  const domains = await tx.storageDomain.findMany({ where: { id: { in: [...needs.keys()] } } });
  return [...needs].map(([sdId, needed]) => {
    const sd = domains.find((d) => d.id === sdId);
    if (!sd) return { code: 'STORAGE_DOMAIN_NOT_FOUND', message: `Storage Domain ${sdId} does not exist.` };
    const free = sd.capacityBytes - sd.usedBytes;
    return (
      refuseWhen(sd.status !== 'ACTIVE', 'STORAGE_DOMAIN_NOT_ACTIVE', `Storage Domain ${sd.name} is ${sd.status}.`) ??
      refuseWhen(needed > free, 'STORAGE_DOMAIN_LOW_SPACE', `Storage Domain ${sd.name} has ${free} bytes free; ${needed} are needed.`)
    );
  });
}

/** Sums bytes per storage domain. */
export function needsByDomain(items: { storageDomainId: string; bytes: bigint }[]): Map<string, bigint> {
  const needs = new Map<string, bigint>();
  for (const i of items) needs.set(i.storageDomainId, (needs.get(i.storageDomainId) ?? 0n) + i.bytes);
  return needs;
}

/** No disk is locked by another operation or illegal (oVirt's ACTION_TYPE_FAILED_DISKS_LOCKED). */
export function disksUsable(disks: { alias: string; status: string }[]): Reason | null {
  const locked = disks.filter((d) => d.status === 'LOCKED');
  if (locked.length)
    return { code: 'DISKS_LOCKED', message: `Disk(s) ${locked.map((d) => d.alias).join(', ')} are locked by another operation.` };
  const illegal = disks.filter((d) => d.status === 'ILLEGAL');
  return refuseWhen(illegal.length > 0, 'DISKS_ILLEGAL', `Disk(s) ${illegal.map((d) => d.alias).join(', ')} are illegal.`);
}

/**
 * The space a full copy of a chain takes (template or clone): a preallocated disk its virtual
 * size, a thin one the data of its layers, never more than the virtual size.
 */
export function collapsedSize(chain: DiskRow[], includeParents: bigint): bigint {
  const top = chain[0]!;
  const base = chain[chain.length - 1]!;
  if (!base.sparse) return top.provisionedSizeBytes;
  const data = chain.reduce((sum, v) => sum + v.actualSizeBytes, includeParents);
  return data < top.provisionedSizeBytes ? data : top.provisionedSizeBytes;
}
