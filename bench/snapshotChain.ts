// Snapshot image work on a 1 GiB disk full of data, as the SPM's agent does it (FileStorage's
// storage verbs, real qemu-img on real files): create (a qcow2 overlay), restore (an overlay on
// the snapshot's volume, then the old top dropped), and merge (removing a snapshot: the volume
// above committed into it), with 256 MiB and with the full 1 GiB written above the snapshot. Each
// step is printed beside a limit measured in the same run on the same files: for create and
// restore the bare `qemu-img create -b` of an overlay, for a merge the copy of the data above
// (`dd` of the upper file: a merge reads and writes at least that much).
//   node --import tsx bench/snapshotChain.ts [--dir /var/tmp] [--size-mib 1024] [--rounds 3]
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FileStorage } from '../agent/storage/fileStorage.ts';
import type { VolumeRef } from '../protocol/storage.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/var/tmp' },
    'size-mib': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
  },
});
const sizeMiB = Number(values['size-mib']);
const size = sizeMiB * 1024 ** 2;
const root = mkdtempSync(path.join(values.dir, 'vireo-snapbench-'));
const storage = new FileStorage();
const domain = { domainId: randomUUID(), domainPath: root };
const disk = randomUUID();
const ref = (imageId: string): VolumeRef => ({ ...domain, diskId: disk, imageId });
const top = ref(randomUUID());
const file = (v: VolumeRef) => path.join(root, v.domainId, 'images', v.diskId, v.imageId);

/** Writes `mib` MiB of a byte pattern into the top image from offset 0. */
const fill = (pattern: number, mib: number) =>
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} 0 ${mib}M`, file(top)], { stdio: 'ignore' });
const time = async (work: () => Promise<unknown>) => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};
const rows: { round: number; step: string; ms: number; limit: number }[] = [];
const scratch = path.join(root, 'scratch');
/** The bare overlay: what create and restore cannot beat. */
const bareOverlay = async () => {
  const t0 = performance.now();
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', file(top), '-F', 'qcow2', scratch, String(size)]);
  const ms = performance.now() - t0;
  rmSync(scratch, { force: true });
  return ms;
};
/** Copying the upper volume's file: what a merge of it cannot beat. */
const copyOfTop = async () => {
  const t0 = performance.now();
  execFileSync('dd', [`if=${file(top)}`, `of=${scratch}`, 'bs=4M', 'status=none']);
  const ms = performance.now() - t0;
  rmSync(scratch, { force: true });
  return ms;
};

try {
  await storage.createVolume({ type: 'createVolume', volume: top, format: 'COW', sizeBytes: size });
  const t0 = performance.now();
  fill(1, sizeMiB);
  console.log(`${sizeMiB} MiB written into the disk in ${Math.round(performance.now() - t0)} ms`);
  for (let round = 1; round <= Number(values.rounds); round++) {
    const snapshot = randomUUID();
    rows.push({
      round,
      step: 'snapshot create',
      limit: await bareOverlay(),
      ms: await time(() =>
        storage.overlayVolume({
          type: 'overlayVolume',
          volume: top,
          keepAs: snapshot,
          backing: ref(snapshot),
          backingFormat: 'COW',
          sizeBytes: size,
        }),
      ),
    });
    fill(2, 256);
    const kept = randomUUID();
    rows.push({
      round,
      step: 'snapshot restore (256 MiB written since)',
      limit: await bareOverlay(),
      ms: await time(async () => {
        await storage.overlayVolume({
          type: 'overlayVolume',
          volume: top,
          keepAs: kept,
          backing: ref(snapshot),
          backingFormat: 'COW',
          sizeBytes: size,
        });
        await storage.deleteVolumeImage({ type: 'deleteVolumeImage', volume: ref(kept) });
      }),
    });
    fill(3, 256);
    rows.push({
      round,
      step: 'snapshot merge (256 MiB above)',
      limit: await copyOfTop(),
      ms: await time(() => storage.mergeVolume({ type: 'mergeVolume', volume: top, base: ref(snapshot) })),
    });
    const full = randomUUID();
    await storage.overlayVolume({
      type: 'overlayVolume',
      volume: top,
      keepAs: full,
      backing: ref(full),
      backingFormat: 'COW',
      sizeBytes: size,
    });
    fill(4, sizeMiB);
    rows.push({
      round,
      step: `snapshot merge (${sizeMiB} MiB above)`,
      limit: await copyOfTop(),
      ms: await time(() => storage.mergeVolume({ type: 'mergeVolume', volume: top, base: ref(full) })),
    });
  }
  const steps = [...new Set(rows.map((r) => r.step))];
  console.log(
    `\nsnapshot work on a ${sizeMiB} MiB qcow2 disk full of data (${values.rounds} rounds, ms; best of the rounds against the limit's best):`,
  );
  for (const step of steps) {
    const of = rows.filter((r) => r.step === step);
    const ms = of.map((r) => Math.round(r.ms));
    const best = Math.min(...ms);
    const limit = Math.round(Math.min(...of.map((r) => r.limit)));
    console.log(
      `  ${step.padEnd(40)} ${ms.join(' / ').padEnd(20)} best ${best}  limit ${limit}  ${(best / Math.max(limit, 1)).toPrecision(2)}×`,
    );
  }
  const check = execFileSync('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -P 4 0 1M', file(top)], { encoding: 'utf8' });
  if (check.includes('Pattern verification failed')) throw new Error('the merged disk does not hold the data written last');
} finally {
  rmSync(root, { recursive: true, force: true });
}
