// The disk the image benches work on: a qcow2 volume full of data (pattern 1), then a snapshot (the
// data kept in the volume under it) and 256 MiB written above it (pattern 2), made with the SPM
// agent's storage verbs and qemu-io.
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { FileStorage } from '../agent/storage/fileStorage.ts';
import { volumePath } from '../agent/storage/domainLayout.ts';
import type { VolumeRef } from '../protocol/storage.ts';

/** Makes `volume` (the disk's top) so, `sizeMiB` large; says how long filling it took. */
export async function diskWithSnapshot(storage: FileStorage, volume: VolumeRef, sizeMiB: number): Promise<void> {
  const size = sizeMiB * 1024 ** 2;
  await storage.createVolume({ type: 'createVolume', volume, format: 'COW', sizeBytes: size });
  const t0 = performance.now();
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P 1 0 ${sizeMiB}M`, volumePath(volume)], { stdio: 'ignore' });
  console.log(`${sizeMiB} MiB written into the disk in ${Math.round(performance.now() - t0)} ms`);
  const snap = randomUUID();
  await storage.overlayVolume({
    type: 'overlayVolume',
    volume,
    keepAs: snap,
    backing: { ...volume, imageId: snap },
    backingFormat: 'COW',
    sizeBytes: size,
  });
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 2 0 256M', volumePath(volume)], { stdio: 'ignore' });
}
