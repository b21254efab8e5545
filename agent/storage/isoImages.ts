// ISO images on an ISO domain (isoDir() of domainLayout.ts): received from the engine into a
// hidden file beside the images, checked to be a whole ISO 9660 image (its primary volume
// descriptor, and at least as many bytes as that declares), then linked under its name, which
// never replaces a file (renamed where the file system has no hard links). Whatever fails, the hidden file goes: no partial image is ever listed.
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ISO9660_HEAD_BYTES, readIso9660Head } from '../../protocol/iso9660.ts';
import { IsoName, type StorageCommand, type StorageResult } from '../../protocol/storage.ts';
import { isoDir } from './domainLayout.ts';
import { receiveUpTo, transferUrl } from './transfers.ts';
import type { TransferContext } from './storageDriver.ts';

type Command<T extends StorageCommand['type']> = Extract<StorageCommand, { type: T }>;

async function head(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(ISO9660_HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function present(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Why the file is not a whole ISO 9660 image (no volume descriptor, or fewer bytes than it declares), or null. */
async function isoFlaw(
  file: string,
  sizeBytes: number,
): Promise<{ state: 'notIso' } | { state: 'incomplete'; sizeBytes: number; volumeBytes: number } | null> {
  const volume = readIso9660Head(await head(file));
  if (!volume) return { state: 'notIso' };
  return sizeBytes < volume.volumeBytes ? { state: 'incomplete', sizeBytes, volumeBytes: volume.volumeBytes } : null;
}

/** The flaw as the refresh's event names it. */
function flawText(flaw: NonNullable<Awaited<ReturnType<typeof isoFlaw>>>): string {
  return flaw.state === 'notIso'
    ? 'not an ISO 9660 image'
    : `holds ${flaw.sizeBytes} of the ${flaw.volumeBytes} bytes its volume descriptor declares`;
}

export async function receiveIsoImage(c: Command<'receiveIsoImage'>, ctx: TransferContext): Promise<StorageResult<'receiveIsoImage'>> {
  const dir = isoDir(c.domain);
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, c.name);
  if (await present(target)) return { state: 'exists' };
  const part = path.join(dir, `.${c.name}.${randomUUID()}.part`);
  try {
    if ((await receiveUpTo(transferUrl(ctx.engineUrl, c.transferPath), part, c.maxBytes)) === 'tooLarge') return { state: 'tooLarge' };
    const sizeBytes = (await stat(part)).size;
    const flaw = await isoFlaw(part, sizeBytes);
    if (flaw) return flaw;
    try {
      await link(part, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return { state: 'exists' };
      // A file system without hard links: a rename, once no file has the name.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP'].includes(code ?? '')) throw e;
      if (await present(target)) return { state: 'exists' };
      await rename(part, target);
    }
    return { state: 'written', sizeBytes };
  } finally {
    await rm(part, { force: true });
  }
}

export async function deleteIsoImage(c: Command<'deleteIsoImage'>): Promise<StorageResult<'deleteIsoImage'>> {
  await rm(path.join(isoDir(c.domain), c.name), { force: true });
  return {};
}

export async function listIsoImages(c: Command<'listIsoImages'>): Promise<StorageResult<'listIsoImages'>> {
  const dir = isoDir(c.domain);
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  const result: StorageResult<'listIsoImages'> = { images: [], skipped: [] };
  for (const entry of entries) {
    // Hidden files are uploads under way; other names are not ISO images to oVirt either.
    if (!entry.name.toLowerCase().endsWith('.iso') || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name);
    const info = await stat(file).catch(() => null);
    const skip = (why: string) => result.skipped.push({ name: entry.name.slice(0, 300), why });
    if (!IsoName.safeParse(entry.name).success) skip('a name of letters, digits and . _ + - is needed');
    else if (!info?.isFile()) skip('not a regular file');
    else {
      const flaw = await isoFlaw(file, info.size);
      if (flaw) skip(flawText(flaw));
      else result.images.push({ name: entry.name, sizeBytes: info.size });
    }
  }
  result.images.sort((a, b) => a.name.localeCompare(b.name));
  return result;
}
