// Data in disk images, written and read the way a guest would see it (qemu-io through the whole
// backing chain), for tests that check what the storage verbs really did to the files.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

/** Writes 64 KiB of `pattern` at `offset` into a qcow2 image (its top layer). */
export function writeMarker(file: string, pattern: number, offset: number): void {
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P ${pattern} ${offset} 64k`, file], { encoding: 'utf8' });
}

/** Whether the 64 KiB at `offset` hold `pattern` (0 for never written), read through the whole chain. */
export function holdsMarker(file: string, pattern: number, offset: number): boolean {
  return spawnSync('qemu-io', ['-r', '-f', 'qcow2', '-c', `read -P ${pattern} ${offset} 64k`, file], { encoding: 'utf8' }).status === 0;
}

/** The files of an image's backing chain, top first (absolute paths). */
export function backingChain(file: string): string[] {
  const infos = JSON.parse(execFileSync('qemu-img', ['info', '--backing-chain', '--output=json', '-U', file], { encoding: 'utf8' })) as {
    filename: string;
  }[];
  return infos.map((i) => path.resolve(path.dirname(file), i.filename));
}
