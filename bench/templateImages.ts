// Template, thin VM, clone and disk move image work on a 1 GiB disk full of data, as the SPM's agent
// does it (FileStorage's storage verbs, real qemu-img on real files): a template's base image
// (copyVolume: the disk's chain, a snapshot with 256 MiB written above it, collapsed), a thin VM's
// overlay on it (createVolume with backing), a clone (copyVolume of the base image), and a move of
// the disk's two-volume chain to another domain directory (copyImage).
//   node --import tsx bench/templateImages.ts [--dir /var/tmp] [--size-mib 1024] [--rounds 2]
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FileStorage } from '../agent/storage/fileStorage.ts';
import { volumePath } from '../agent/storage/domainLayout.ts';
import type { VolumeRef } from '../protocol/storage.ts';
import { diskWithSnapshot } from './diskWithSnapshot.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/var/tmp' },
    'size-mib': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '2' },
  },
});
const sizeMiB = Number(values['size-mib']);
const size = sizeMiB * 1024 ** 2;
const root = mkdtempSync(path.join(values.dir, 'vireo-tplbench-'));
const storage = new FileStorage();
const domain = { domainId: randomUUID(), domainPath: root };
const otherDomain = { domainId: randomUUID(), domainPath: root };
/** A disk's top volume (image id = a fresh id per disk, as the engine derives one). */
const volumeOf = (diskId: string, on = domain): VolumeRef => ({ ...on, diskId, imageId: diskId });
const time = async (work: () => Promise<unknown>) => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};
const holds = (file: string, pattern: number, offset: number) =>
  !execFileSync('qemu-io', ['-r', '-f', 'qcow2', '-c', `read -P ${pattern} ${offset} 1M`, file], { encoding: 'utf8' }).includes(
    'verification failed',
  );
const rows: { step: string; ms: number }[] = [];

try {
  // The source disk: full of data, then a snapshot and 256 MiB written above it.
  const source = volumeOf(randomUUID());
  await diskWithSnapshot(storage, source, sizeMiB);
  for (let round = 1; round <= Number(values.rounds); round++) {
    const base = volumeOf(randomUUID());
    rows.push({
      step: 'template base image (chain collapsed)',
      ms: await time(() => storage.copyVolume({ type: 'copyVolume', source, sourceFormat: 'COW', target: base, format: 'COW' })),
    });
    const thin = volumeOf(randomUUID());
    rows.push({
      step: 'thin VM disk (overlay on the base)',
      ms: await time(() =>
        storage.createVolume({
          type: 'createVolume',
          volume: thin,
          format: 'COW',
          sizeBytes: size,
          backing: { volume: base, format: 'COW' },
        }),
      ),
    });
    const clone = volumeOf(randomUUID());
    rows.push({
      step: 'clone disk (copy of the base)',
      ms: await time(() => storage.copyVolume({ type: 'copyVolume', source: base, sourceFormat: 'COW', target: clone, format: 'COW' })),
    });
    rows.push({
      step: 'move of the 2-volume chain (copyImage)',
      ms: await time(() => storage.copyImage({ type: 'copyImage', source, target: { ...otherDomain, domainId: randomUUID() } })),
    });
    if (!holds(volumePath(thin), 2, 0) || !holds(volumePath(clone), 1, 512 * 1024 ** 2))
      throw new Error('a copy does not hold the data of the source');
    for (const v of [base, thin, clone]) await storage.deleteVolume({ type: 'deleteVolume', volume: v });
  }
  const steps = [...new Set(rows.map((r) => r.step))];
  console.log(`\ntemplate and copy work on a ${sizeMiB} MiB qcow2 disk full of data (${values.rounds} rounds, ms):`);
  for (const step of steps) {
    const ms = rows.filter((r) => r.step === step).map((r) => Math.round(r.ms));
    console.log(`  ${step.padEnd(42)} ${ms.join(' / ')}  (best ${Math.min(...ms)})`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
