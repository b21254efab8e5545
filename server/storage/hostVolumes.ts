// Volumes of disks the actions create and remove, done by a host of the disks' data center
// (storageHost.ts) with no transaction open: created before the rows (their removal registered
// as the undo step first, so a failure anywhere later leaves no file), removed after the commit
// (nothing brings a removed volume back, so it goes only once the rows are gone).
import type { VolumeFormat, VolumeLabel } from '../../protocol/storage.ts';
import type { Engine } from '../engine.ts';
import { storageHost, type StorageHost } from './storageHost.ts';
import { volumeRef } from './volumeRef.ts';

export interface NewVolume {
  domain: { id: string; path: string };
  diskId: string;
  format: VolumeFormat;
  sizeBytes: bigint;
  /** Alias and VM of the new disk (a simulated host writes them in its first blocks). */
  label?: VolumeLabel;
  /** A staged image (already in the disk's format) to move into place instead of an empty volume. */
  fromStage?: string;
  /** A qcow2 overlay on this disk's volume instead of an empty volume (a thin disk over a template disk's image). */
  backing?: { domain: { id: string; path: string }; diskId: string; format: VolumeFormat };
}

/** Creates the volumes on `host`, or on a host of the data center; `compensate` gets each one's removal before it is made. */
export async function createVolumes(
  engine: Engine,
  where: { host: StorageHost } | { dataCenterId: string; title: string },
  volumes: NewVolume[],
  compensate: (undo: () => Promise<void>) => void,
): Promise<void> {
  if (!volumes.length) return;
  const host = 'host' in where ? where.host : await storageHost(engine, where.dataCenterId, where.title);
  for (const v of volumes) {
    const volume = volumeRef(v.domain, v.diskId);
    compensate(async () => {
      await engine.hosts.storage(host, { type: 'deleteVolume', volume });
    });
    await engine.hosts.storage(host, {
      type: 'createVolume',
      volume,
      format: v.format,
      sizeBytes: Number(v.sizeBytes),
      label: v.label,
      fromStage: v.fromStage,
      backing: v.backing && { volume: volumeRef(v.backing.domain, v.backing.diskId), format: v.backing.format },
    });
  }
}

/** Removes the volumes of disks whose rows are gone (an after-commit step); a host that cannot is logged. */
export async function removeVolumes(
  engine: Engine,
  dataCenterId: string,
  volumes: { domain: { id: string; path: string }; diskId: string }[],
): Promise<void> {
  if (!volumes.length) return;
  const host = await storageHost(engine, dataCenterId, 'remove volumes');
  for (const v of volumes) {
    try {
      await engine.hosts.storage(host, { type: 'deleteVolume', volume: volumeRef(v.domain, v.diskId) });
    } catch (e) {
      console.error(`the volume of disk ${v.diskId} was left on its storage domain:`, e);
    }
  }
}

/** Grows a disk's volume on a host of the data center. */
export async function extendVolume(
  engine: Engine,
  dataCenterId: string,
  title: string,
  v: { domain: { id: string; path: string }; disk: { id: string; imageId: string | null }; format: VolumeFormat; sizeBytes: bigint },
): Promise<void> {
  const host = await storageHost(engine, dataCenterId, title);
  await engine.hosts.storage(host, {
    type: 'extendVolume',
    volume: volumeRef(v.domain, v.disk),
    format: v.format,
    sizeBytes: Number(v.sizeBytes),
  });
}
