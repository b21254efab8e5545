// Copies of images on a host: a volume's whole backing chain collapsed into one new standalone
// volume (qemu-img convert), and a disk's image folder (every volume of its chain, relative backing
// paths kept) copied to another domain with `cp` (holes kept: `--sparse=auto` finds them). Each is
// written under a temporary name beside its place and renamed into it when complete, so a failed or
// interrupted copy never looks like an image. A live move copies the folder but for the image the
// VM writes to, which the target gets empty on the copied chain (the hypervisor mirrors it there).
import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { convertImage } from './qemuImg.ts';

/** Space a file takes on its file system. */
export async function allocatedBytes(file: string): Promise<number> {
  return (await stat(file)).blocks * 512;
}

async function absent(file: string, what: string): Promise<void> {
  const found = await stat(file).then(
    () => true,
    () => false,
  );
  if (found) throw new Error(`${what} already exists`);
}

/** `src` (opened as `srcFormat`, read through its backing chain) converted into the new file `dst`. */
export async function collapseInto(src: string, srcFormat: 'qcow2' | 'raw', dst: string, dstFormat: 'qcow2' | 'raw'): Promise<number> {
  await mkdir(path.dirname(dst), { recursive: true });
  await absent(dst, `image ${dst}`);
  const part = `${dst}.part`;
  await rm(part, { force: true });
  try {
    await convertImage(src, srcFormat, part, dstFormat);
    await rename(part, dst);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
  return allocatedBytes(dst);
}

function cp(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('cp', args, { timeout: timeoutMs, encoding: 'utf8' }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`cp failed: ${(stderr || err.message).trim().slice(0, 500)}`));
      else resolve();
    });
  });
}

/**
 * The folder `from` copied as the new folder `to` (holes stay holes), but for the file named `skip`;
 * `fill(dir)` then adds to the copy before it takes its name. Answers the bytes its files take.
 */
export async function copyFolder(
  from: string,
  to: string,
  o: { skip?: string; fill?: (dir: string) => Promise<void> } = {},
  timeoutMs = 6 * 3600_000,
): Promise<number> {
  await mkdir(path.dirname(to), { recursive: true });
  await absent(to, `image folder ${to}`);
  const part = path.join(path.dirname(to), `.${path.basename(to)}.part`);
  await rm(part, { recursive: true, force: true });
  try {
    await mkdir(part);
    const files = (await readdir(from)).filter((name) => name !== o.skip).map((name) => path.join(from, name));
    if (files.length) await cp(['-R', '--sparse=auto', '--', ...files, part], timeoutMs);
    await o.fill?.(part);
    await rename(part, to);
  } catch (e) {
    await rm(part, { recursive: true, force: true });
    throw e;
  }
  let bytes = 0;
  for (const name of await readdir(to)) bytes += await allocatedBytes(path.join(to, name));
  return bytes;
}
