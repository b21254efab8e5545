// How the engine names a disk's volume to a host: the storage domain (id and path) and the disk's
// image id, which oVirt keeps beside the disk id and Vireo derives from it.
import { createHash } from 'node:crypto';
import type { VolumeRef } from '../../protocol/storage.ts';

/** oVirt disks have an image (volume) id besides the disk id; Vireo derives a stable one from the disk id. */
export function imageIdOf(diskId: string): string {
  const h = createHash('sha1').update(`vireo-image:${diskId}`).digest('hex');
  // Shaped as a version 5 UUID, variant 10.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The image id of a volume row's file: its own when a live merge left it the base's file, else derived from its id. */
export function imageOf(v: { id: string; imageId: string | null }): string {
  return v.imageId ?? imageIdOf(v.id);
}

/** A disk's top volume: `disk` as its row (its file may be another's after a live merge), or a disk id (its derived file). */
export function volumeRef(domain: { id: string; path: string }, disk: string | { id: string; imageId: string | null }): VolumeRef {
  return typeof disk === 'string'
    ? { domainId: domain.id, domainPath: domain.path, diskId: disk, imageId: imageIdOf(disk) }
    : { domainId: domain.id, domainPath: domain.path, diskId: disk.id, imageId: imageOf(disk) };
}
