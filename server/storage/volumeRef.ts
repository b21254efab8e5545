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

export function volumeRef(domain: { id: string; path: string }, diskId: string): VolumeRef {
  return { domainId: domain.id, domainPath: domain.path, diskId, imageId: imageIdOf(diskId) };
}
