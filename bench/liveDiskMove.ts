// A live disk move (oVirt's LSM) of a 1 GiB disk full of data, with a snapshot and 256 MiB written
// above it, while a VM runs it, as the agents do it: the SPM's copy of the chain under the running
// image with that one made empty on the target (FileStorage's copyImage with `top`), then the VM's
// host's block copy of the running layer and pivot (LibvirtDriver.blockCopy: virsh blockcopy
// --reuse-external --shallow --transient-job --wait --pivot) on the project's own libvirtd (lv8) and
// the tiny guest (its own small disk is vda; the moved disk vdb, which the guest leaves alone). The
// disk moves back and forth, one move a round; beside each, the limit measured on the same files: an
// offline move of the whole chain (copyImage, `cp`), which a live move cannot beat. Each step is
// timed until its data is on the disk (`sync`), not only in the page cache.
//   node --import tsx bench/liveDiskMove.ts [--dir /var/tmp] [--size-mib 1024] [--rounds 4]
import { randomUUID } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FileStorage } from '../agent/storage/fileStorage.ts';
import { volumePath } from '../agent/storage/domainLayout.ts';
import { LibvirtDriver } from '../agent/drivers/libvirt/libvirtDriver.ts';
import type { VolumeRef } from '../protocol/storage.ts';
import { diskWithSnapshot } from './diskWithSnapshot.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/var/tmp' },
    'size-mib': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '4' },
  },
});
const repo = path.resolve(import.meta.dirname, '..');
const sizeMiB = Number(values['size-mib']);
const root = mkdtempSync(path.join(values.dir, 'vireo-lsmbench-'));
const lvDir = path.join(repo, '.cache/libvirt-test/lv8');
const libvirtd = (...args: string[]) =>
  execFileSync('bash', [path.join(repo, 'scripts/libvirt/libvirtd.sh'), ...args], { encoding: 'utf8' });
const storage = new FileStorage();
const domains = [
  { domainId: randomUUID(), domainPath: root },
  { domainId: randomUUID(), domainPath: root },
];
/** A step's time until what it wrote is on the disk (`sync` before, so none pays for another, and after). */
const time = async (work: () => Promise<unknown>) => {
  execFileSync('sync');
  const t0 = performance.now();
  await work();
  execFileSync('sync');
  return performance.now() - t0;
};
/** Whether the MiB at `offset` MiB holds `pattern`, read through the chain of an image a VM may run. */
const holds = (file: string, pattern: number, offsetMiB: number) =>
  spawnSync('qemu-io', ['-r', '-U', '-f', 'qcow2', '-c', `read -P ${pattern} ${offsetMiB}M 1M`, file]).status === 0;
const rows: { step: string; ms: number }[] = [];

libvirtd('start', lvDir, '8');
const uri = libvirtd('uri', lvDir).trim();
const driver = new LibvirtDriver({ uri, stateDir: path.join(root, 'agent'), log: () => {} });
const vmId = randomUUID();
try {
  const [kernel, initrd] = execFileSync('bash', [path.join(repo, 'scripts/libvirt/build-guest.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1)!
    .split(' ');
  // The moved disk: full of data, then a snapshot and 256 MiB written above it.
  const diskId = randomUUID();
  const top: VolumeRef = { ...domains[0]!, diskId, imageId: randomUUID() };
  await diskWithSnapshot(storage, top, sizeMiB);
  const own: VolumeRef = { ...domains[0]!, diskId: randomUUID(), imageId: randomUUID() };
  await storage.createVolume({ type: 'createVolume', volume: own, format: 'COW', sizeBytes: 64 * 1024 ** 2 });
  await driver.start({
    id: vmId,
    name: 'lsm-bench',
    memoryMb: 128,
    vcpus: 1,
    osType: 'other_linux',
    disks: [
      { id: own.diskId, path: volumePath(own), format: 'qcow2', interface: 'VIRTIO', bootOrder: 1 },
      { id: diskId, path: volumePath(top), format: 'qcow2', interface: 'VIRTIO' },
    ],
    kernel: { kernelPath: kernel!, initrdPath: initrd!, cmdline: 'console=ttyS0 quiet mitigations=off' },
  });
  for (let round = 1; round <= Number(values.rounds); round++) {
    const [from, to] = round % 2 ? [domains[0]!, domains[1]!] : [domains[1]!, domains[0]!];
    const source = { ...top, ...from };
    const target = { ...top, ...to };
    const limit = () => storage.copyImage({ type: 'copyImage', source, target: { ...to, domainId: randomUUID() } });
    // The limit first in odd rounds, last in even ones: neither always finds the page cache the other left.
    if (round % 2) rows.push({ step: 'offline move of the chain (limit)', ms: await time(limit) });
    const copy = await time(() =>
      storage.copyImage({ type: 'copyImage', source, target: to, top: { imageId: top.imageId, format: 'COW' } }),
    );
    const mirror = await time(() =>
      driver.blockCopy(vmId, { source: volumePath(source), dest: volumePath(target), format: 'qcow2', shallow: true }),
    );
    if (!(round % 2)) rows.push({ step: 'offline move of the chain (limit)', ms: await time(limit) });
    await storage.deleteVolume({ type: 'deleteVolume', volume: source });
    rows.push({ step: 'SPM: chain under the top copied', ms: copy });
    rows.push({ step: 'host: block copy of the top, pivot', ms: mirror });
    rows.push({ step: 'live move (both)', ms: copy + mirror });
    if (!holds(volumePath(target), 2, 0) || !holds(volumePath(target), 1, sizeMiB - 1))
      throw new Error('the moved disk does not hold the data of the source');
  }
  const steps = [...new Set(rows.map((r) => r.step))];
  console.log(`\nlive move of a ${sizeMiB} MiB qcow2 disk full of data, 256 MiB above a snapshot (${values.rounds} rounds, ms):`);
  for (const step of steps) {
    const ms = rows.filter((r) => r.step === step).map((r) => Math.round(r.ms));
    console.log(`  ${step.padEnd(42)} ${ms.join(' / ')}  (best ${Math.min(...ms)})`);
  }
} finally {
  await driver.destroy(vmId).catch(() => undefined);
  libvirtd('stop', lvDir);
  rmSync(root, { recursive: true, force: true });
}
process.exit(0);
