// Full copies of disks' volumes, done by the data center's SPM (storageHost.ts) with no transaction
// open: each copy reads its source through its whole backing chain into a new standalone volume
// (a template's base image from a VM's disk, a clone from a template, a disk's copy). The new
// volume's removal is registered as the undo step once it is made (a failed copy removes its own
// partial file), and the Job's progress moves after each copy.
import type { VolumeFormat } from '../../protocol/storage.ts';
import type { Engine } from '../engine.ts';
import { setProgress } from '../jobs/jobs.ts';
import { storageHost } from './storageHost.ts';
import { volumeRef } from './volumeRef.ts';

interface Domain {
  id: string;
  path: string;
}

export interface VolumeCopy {
  /** The disk whose top volume (with everything under it) is read. */
  source: { domain: Domain; disk: { id: string; imageId: string | null }; format: VolumeFormat };
  /** The new disk's volume. */
  target: { domain: Domain; diskId: string; format: VolumeFormat };
}

/** Copies the volumes on the data center's SPM; answers each new volume's actual size (0 when its source had no image). */
export async function copyVolumes(
  engine: Engine,
  where: { dataCenterId: string; title: string; jobId: string | null },
  copies: VolumeCopy[],
  compensate: (undo: () => Promise<void>) => void,
): Promise<bigint[]> {
  if (!copies.length) return [];
  const host = await storageHost(engine, where.dataCenterId, where.title);
  const sizes: bigint[] = [];
  for (const [i, c] of copies.entries()) {
    const target = volumeRef(c.target.domain, c.target.diskId);
    const copied = await engine.hosts.storage(host, {
      type: 'copyVolume',
      source: volumeRef(c.source.domain, c.source.disk),
      sourceFormat: c.source.format,
      target,
      format: c.target.format,
    });
    // Only once made: a copy that fails removes its own partial file, and must not take what was there.
    compensate(async () => {
      await engine.hosts.storage(host, { type: 'deleteVolume', volume: target });
    });
    sizes.push(BigInt(copied.actualSizeBytes));
    if (where.jobId) await setProgress(engine.db, engine.pubsub, where.jobId, Math.floor((99 * (i + 1)) / copies.length));
  }
  return sizes;
}

/**
 * Copies a disk's whole image folder (its chain as it is) to another domain on the SPM; answers the
 * bytes it takes there. `top`: the image a running VM writes to, made empty on the copied chain instead (a live move).
 */
export async function copyImage(
  engine: Engine,
  where: { dataCenterId: string; title: string },
  image: { source: Domain; target: Domain; diskId: string; top?: { imageId: string; format: VolumeFormat } },
  compensate: (undo: () => Promise<void>) => void,
): Promise<bigint> {
  const host = await storageHost(engine, where.dataCenterId, where.title);
  const copied = await engine.hosts.storage(host, {
    type: 'copyImage',
    source: { domainId: image.source.id, domainPath: image.source.path, diskId: image.diskId },
    target: { domainId: image.target.id, domainPath: image.target.path },
    ...(image.top ? { top: image.top } : {}),
  });
  compensate(async () => {
    await engine.hosts.storage(host, { type: 'deleteVolume', volume: volumeRef(image.target, image.diskId) });
  });
  return BigInt(copied.actualSizeBytes);
}
