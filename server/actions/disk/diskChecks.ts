// What the disk actions share: the interface enum, loading a disk, and the checks that a disk is the user's to change.
import { z } from 'zod';
import type { Tx } from '../../db.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import type { Reason } from '../../errors.ts';
import { isMemoryDump } from './volumes.ts';
import { notInPreview, previewOf } from '../snapshot/snapshotTree.ts';

/** The bus a disk is attached on. */
export const diskInterface = z.enum(['VIRTIO', 'VIRTIO_SCSI', 'IDE', 'SATA']).meta({ graphql: 'DiskInterface' });

export async function diskOf(tx: Tx, diskId: string) {
  return found(
    await tx.disk.findUnique({ where: { id: diskId }, include: { storageDomain: true, attachments: { include: { vm: true } } } }),
    'Disk',
    diskId,
  );
}

/** The disk is one a user may change: not a template's disk, not a volume under a snapshot. */
export async function isUserDisk(tx: Tx, disk: { id: string; alias: string; templateId: string | null }): Promise<Reason | null> {
  const children = await tx.disk.count({ where: { parentId: disk.id } });
  return (
    refuseWhen(disk.templateId !== null, 'DISK_IS_TEMPLATE_DISK', `Disk ${disk.alias} belongs to a template.`) ??
    refuseWhen(
      await isMemoryDump(tx, disk.id),
      'DISK_IS_MEMORY_DUMP',
      `Disk ${disk.alias} is the memory of a snapshot; it goes with the snapshot.`,
    ) ??
    refuseWhen(
      children > 0,
      'DISK_IS_SNAPSHOT_VOLUME',
      `Disk ${disk.alias} is a volume under a snapshot or template chain, not an active disk.`,
    )
  );
}

/** The disk has snapshot volumes of its VM under it. */
export async function hasSnapshots(tx: Tx, disk: { parentId: string | null }): Promise<boolean> {
  if (!disk.parentId) return false;
  return (await tx.disk.findUniqueOrThrow({ where: { id: disk.parentId } })).templateId === null;
}

export async function previewChecks(tx: Tx, vms: { id: string; name: string }[]) {
  return Promise.all(vms.map(async (vm) => notInPreview(await previewOf(tx, vm.id), vm.name)));
}

export const diskObjects = (d: { storageDomainId: string; storageDomain: { dataCenterId: string | null } }, vmId?: string | null) => ({
  storageDomainId: d.storageDomainId,
  dataCenterId: d.storageDomain.dataCenterId,
  vmId: vmId ?? null,
});
