// Disk images on file storage domains, laid out as oVirt lays out NFS/local/POSIX domains:
// `<domain dir>/images/<disk id>/<image id>`. The domain dir is `<path>/<domain id>` when the
// domain's path is an existing local absolute directory, else `<data dir>/storage/<domain id>`
// (simulated and demo domains, whose paths name remote exports). Images are qcow2 (COW disks)
// or sparse raw files (RAW disks); only a disk's active volume has an image; snapshot volumes
// and template chains are metadata only.
import { createHash, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, open, rename, rm, copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { emptyQcow2 } from '../../agent/storage/qcow2.ts';
import { convertImage, createImageFile, imageInfo, qemuImgInstalled, type ImageInfo } from '../../agent/storage/qemuImg.ts';
import type { ImageFormat } from '../../protocol/storage.ts';
import { simulatedDiskContent } from '../../agent/drivers/simulatedDisk.ts';

export interface DomainRef { id: string; path: string }
export interface DiskRef { id: string; format: 'RAW' | 'COW'; provisionedSizeBytes: bigint }

/** The engine's data directory (VIREO_DATA_DIR), read at each call so tests can point it elsewhere. */
export function dataDir(): string {
  return path.resolve(loadConfig().VIREO_DATA_DIR);
}

/** oVirt disks have an image (volume) id besides the disk id; Vireo derives a stable one from the disk id. */
export function imageIdOf(diskId: string): string {
  const h = createHash('sha1').update(`vireo-image:${diskId}`).digest('hex');
  // Shaped as a version 5 UUID, variant 10.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function isLocalDir(p: string): boolean {
  if (!path.isAbsolute(p)) return false;
  try { return statSync(p).isDirectory(); } catch { return false; }
}

export function domainDir(domain: DomainRef): string {
  return isLocalDir(domain.path) ? path.join(domain.path, domain.id) : path.join(dataDir(), 'storage', domain.id);
}

/** Whether the domain's images live under the data dir (a simulated domain). */
export function isSimulatedDomain(domain: DomainRef): boolean {
  return !isLocalDir(domain.path);
}

export function imagePath(domain: DomainRef, diskId: string): string {
  return path.join(domainDir(domain), 'images', diskId, imageIdOf(diskId));
}

/** The file format of a disk's image. */
export function fileFormat(format: 'RAW' | 'COW'): 'qcow2' | 'raw' {
  return format === 'COW' ? 'qcow2' : 'raw';
}

/** A new temporary directory under the data dir (same file system as simulated domains, so images move by rename). */
export async function tempDir(purpose: 'import' | 'export'): Promise<string> {
  const dir = path.join(dataDir(), 'tmp', `${purpose}-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Whether `file` is inside the data dir's temporary area (paths handed between steps are checked). */
export function isTempPath(file: string): boolean {
  const rel = path.relative(path.join(dataDir(), 'tmp'), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function writeAt(file: string, content: Buffer, sizeBytes: bigint): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.truncate(Number(sizeBytes));
    if (content.byteLength) await handle.write(content, 0, Math.min(content.byteLength, Number(sizeBytes)), 0);
  } finally { await handle.close(); }
}

/**
 * Creates the image of a new disk: qcow2 via `qemu-img create` (the pure-TS writer without
 * qemu-img), a sparse raw file for RAW disks. `content` (bytes from offset 0) is written in: raw
 * directly, qcow2 by converting a sparse raw file (only without qemu-img is it left out).
 * Returns the image's path and whether the content was written.
 */
export async function createImage(domain: DomainRef, disk: DiskRef, content?: Buffer): Promise<{ path: string; contentWritten: boolean }> {
  const file = imagePath(domain, disk.id);
  await mkdir(path.dirname(file), { recursive: true });
  if (disk.format === 'RAW') {
    await writeAt(file, content ?? Buffer.alloc(0), disk.provisionedSizeBytes);
    return { path: file, contentWritten: !!content };
  }
  if (!(await qemuImgInstalled())) {
    await writeFile(file, emptyQcow2(disk.provisionedSizeBytes), { flag: 'wx' });
    return { path: file, contentWritten: false };
  }
  if (!content) {
    await createImageFile(file, 'qcow2', disk.provisionedSizeBytes);
    return { path: file, contentWritten: false };
  }
  const raw = `${file}.raw`;
  try {
    await writeAt(raw, content, disk.provisionedSizeBytes);
    await convertImage(raw, 'raw', file, 'qcow2');
  } finally { await rm(raw, { force: true }); }
  return { path: file, contentWritten: true };
}

/**
 * The image of a disk the engine creates (add disk, add VM): on a simulated domain it holds what
 * the simulated hypervisor writes on a new disk (a partition table and a block naming the VM and disk).
 */
export async function createDiskImage(domain: DomainRef, disk: DiskRef & { alias: string }, vmName: string | null): Promise<void> {
  const content = isSimulatedDomain(domain)
    ? simulatedDiskContent({ diskId: disk.id, diskAlias: disk.alias, vmName, sizeBytes: disk.provisionedSizeBytes })
    : undefined;
  await createImage(domain, disk, content);
}

/** Removes a disk's image directory (nothing when it has none). */
export async function removeImage(domain: DomainRef, diskId: string): Promise<void> {
  await rm(path.dirname(imagePath(domain, diskId)), { recursive: true, force: true });
}

/** Moves a prepared image file (from the temporary area) into place as the disk's image. */
export async function placeImage(domain: DomainRef, diskId: string, prepared: string): Promise<string> {
  if (!isTempPath(prepared)) throw new Error(`refusing to move ${prepared}: not in the engine's temporary area`);
  const file = imagePath(domain, diskId);
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await rename(prepared, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(prepared, file);
    await rm(prepared, { force: true });
  }
  return file;
}

/** `qemu-img info` of a disk's image, opened as its own format; null when the disk has no image file. */
export async function diskImageInfo(domain: DomainRef, disk: DiskRef): Promise<(ImageInfo & { path: string }) | null> {
  const file = imagePath(domain, disk.id);
  try { statSync(file); } catch { return null; }
  if (!(await qemuImgInstalled())) return null;
  return { ...(await imageInfo(file, fileFormat(disk.format) as ImageFormat)), path: file };
}
