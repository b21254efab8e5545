// The storage verbs over files (domainLayout.ts), with qemu-img where it is installed: volumes are
// qcow2 (COW disks) or sparse raw files (RAW disks); without qemu-img a new qcow2 is written by
// the pure-TS writer (qcow2.ts) and work that needs qemu-img is refused or, for an export, gives an
// empty image the engine warns about. The staging area holds files in transit for OVA export and
// import; each is removed when sent, placed or discarded, and any left by an engine that died
// meanwhile are swept after a day.
import { copyFile, mkdir, open, readdir, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DomainConnection, DomainHealth, StorageCommand, VolumeFormat, VolumeLabel } from '../../protocol/storage.ts';
import { probeConnection } from './domainHealth.ts';
import { unmountNfs } from './nfsMounts.ts';
import { emptyQcow2 } from './qcow2.ts';
import {
  commitImage,
  convertImage,
  createImageFile,
  createOverlay,
  headerInfo,
  imageInfo,
  qemuImgInstalled,
  resizeImageFile,
} from './qemuImg.ts';
import { domainDir, isSimulatedDomain, nfsMountPoint, stagePath, stagingDir, volumePath } from './domainLayout.ts';
import { receiveFile, sendFile, transferUrl } from './transfers.ts';
import { allocatedBytes, collapseInto, copyFolder } from './imageCopy.ts';
import { deleteIsoImage, listIsoImages, receiveIsoImage } from './isoImages.ts';
import type { StorageDriver, TransferContext } from './storageDriver.ts';

type Command<T extends StorageCommand['type']> = Extract<StorageCommand, { type: T }>;

/** What a new disk holds from offset 0, given its label (a simulated hypervisor's first blocks). */
export type FirstBlocks = (label: VolumeLabel & { diskId: string; sizeBytes: bigint }) => Buffer;

export interface FileStorageOptions {
  /** Content of new disks on domains this host only simulates; none: new disks read as zeros. */
  firstBlocks?: FirstBlocks;
}

const STAGE_MAX_AGE_MS = 24 * 3600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fileFormat = (format: VolumeFormat) => (format === 'COW' ? 'qcow2' : 'raw');

async function writeAt(file: string, content: Buffer, sizeBytes: bigint): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.truncate(Number(sizeBytes));
    if (content.byteLength) await handle.write(content, 0, Math.min(content.byteLength, Number(sizeBytes)), 0);
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function requireQemuImg(): Promise<void> {
  if (!(await qemuImgInstalled())) throw new Error('qemu-img is not installed on this host');
}

/** Moves a file, copying when it crosses file systems. */
async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

export class FileStorage implements StorageDriver {
  /** The domains the engine told this host to connect, watched with every report. */
  private connected: DomainConnection[] = [];
  /** Where the NFS exports of those domains are mounted. */
  private nfsPoints = new Set<string>();

  constructor(private readonly opts: FileStorageOptions = {}) {}

  async connectStorageDomains(c: Command<'connectStorageDomains'>) {
    this.connected = c.domains;
    // Exports no longer among the host's domains are unmounted (VDSM's disconnectStorageServer).
    const points = new Set(c.domains.filter((d) => d.nfs).map((d) => nfsMountPoint(d.path)));
    for (const point of this.nfsPoints) if (!points.has(point)) await unmountNfs(point);
    this.nfsPoints = points;
    return { domains: await this.domainHealth() };
  }

  probeStorageDomain(c: Command<'probeStorageDomain'>) {
    return probeConnection(c.domain);
  }

  /** The health of every connected domain, measured now. */
  domainHealth(): Promise<DomainHealth[]> {
    return Promise.all(this.connected.map(probeConnection));
  }

  async createVolume(c: Command<'createVolume'>) {
    const file = volumePath(c.volume);
    const backing = c.backing ? volumePath(c.backing.volume) : null;
    if (backing && !(await exists(backing))) return { actualSizeBytes: 0 }; // over a volume with metadata only
    await mkdir(path.dirname(file), { recursive: true });
    if (await exists(file)) throw new Error(`volume ${c.volume.imageId} of disk ${c.volume.diskId} already exists`);
    if (backing && c.backing) {
      await requireQemuImg();
      // Relative to the new file's folder, so the domain may be mounted elsewhere on another host.
      await createOverlay(file, path.relative(path.dirname(file), backing), fileFormat(c.backing.format), BigInt(c.sizeBytes));
    } else if (c.fromStage) {
      await move(stagePath(c.fromStage), file);
    } else {
      const size = BigInt(c.sizeBytes);
      const content =
        c.label && this.opts.firstBlocks && isSimulatedDomain(c.volume)
          ? this.opts.firstBlocks({ ...c.label, diskId: c.volume.diskId, sizeBytes: size })
          : undefined;
      await this.createEmpty(file, c.format, size, content);
    }
    return { actualSizeBytes: await allocatedBytes(file) };
  }

  /** qcow2 via `qemu-img create` (the pure-TS writer without qemu-img, then without content), or a sparse raw file; `content` written from offset 0. */
  private async createEmpty(file: string, format: VolumeFormat, size: bigint, content?: Buffer): Promise<void> {
    if (format === 'RAW') return writeAt(file, content ?? Buffer.alloc(0), size);
    if (!(await qemuImgInstalled())) return writeFile(file, emptyQcow2(size), { flag: 'wx' });
    if (!content) return createImageFile(file, 'qcow2', size);
    const raw = `${file}.raw`;
    try {
      await writeAt(raw, content, size);
      await convertImage(raw, 'raw', file, 'qcow2');
    } finally {
      await rm(raw, { force: true });
    }
  }

  async copyVolume(c: Command<'copyVolume'>) {
    const source = volumePath(c.source);
    if (!(await exists(source))) return { actualSizeBytes: 0, copied: false };
    await requireQemuImg();
    const actualSizeBytes = await collapseInto(source, fileFormat(c.sourceFormat), volumePath(c.target), fileFormat(c.format));
    return { actualSizeBytes, copied: true };
  }

  async copyImage(c: Command<'copyImage'>) {
    const from = path.join(domainDir(c.source), 'images', c.source.diskId);
    if (!(await exists(from))) return { actualSizeBytes: 0, copied: false };
    const to = path.join(domainDir(c.target), 'images', c.source.diskId);
    const top = c.top;
    if (!top) return { actualSizeBytes: await copyFolder(from, to), copied: true };
    await requireQemuImg();
    const format = fileFormat(top.format);
    const header = await headerInfo(path.join(from, top.imageId), format);
    const fill = async (dir: string) => {
      const file = path.join(dir, top.imageId);
      if (header.backing) await createOverlay(file, header.backing.name, header.backing.format, header.virtualSizeBytes);
      else await createImageFile(file, format, header.virtualSizeBytes);
    };
    return { actualSizeBytes: await copyFolder(from, to, { skip: top.imageId, fill }), copied: true };
  }

  async overlayVolume(c: Command<'overlayVolume'>) {
    const top = volumePath(c.volume);
    if (!(await exists(top))) return {}; // a volume with metadata only
    await requireQemuImg();
    const kept = c.keepAs ? path.join(path.dirname(top), c.keepAs) : null;
    if (kept) {
      if (await exists(kept)) throw new Error(`image ${c.keepAs} of disk ${c.volume.diskId} already exists`);
      await rename(top, kept);
    }
    const backing = volumePath(c.backing);
    try {
      if (!kept) await rm(top);
      // Relative to the overlay's folder, so the domain may be mounted elsewhere on another host.
      await createOverlay(top, path.relative(path.dirname(top), backing), fileFormat(c.backingFormat), BigInt(c.sizeBytes));
    } catch (e) {
      if (kept) await rename(kept, top).catch(() => {});
      throw e;
    }
    return {};
  }

  async restoreVolume(c: Command<'restoreVolume'>) {
    const top = volumePath(c.volume);
    const from = path.join(path.dirname(top), c.from);
    if (!(await exists(from))) return {};
    await rename(from, top);
    return {};
  }

  async deleteVolumeImage(c: Command<'deleteVolumeImage'>) {
    await rm(volumePath(c.volume), { force: true });
    return {};
  }

  async mergeVolume(c: Command<'mergeVolume'>) {
    const file = volumePath(c.volume);
    const base = volumePath(c.base);
    if (!(await exists(file)) || !(await exists(base))) return {};
    await requireQemuImg();
    await commitImage(file);
    // The base now holds both; it takes the merged volume's name, so what was above it still finds it.
    await rename(base, file);
    return {};
  }

  async extendVolume(c: Command<'extendVolume'>) {
    const file = volumePath(c.volume);
    if (!(await exists(file))) return {}; // a volume with metadata only (a disk made from a template)
    if (c.format === 'RAW') {
      if ((await stat(file)).size > c.sizeBytes)
        throw new Error(`volume ${c.volume.imageId} is larger than ${c.sizeBytes} bytes; volumes only grow`);
      await truncate(file, c.sizeBytes);
    } else {
      await requireQemuImg();
      await resizeImageFile(file, 'qcow2', BigInt(c.sizeBytes));
    }
    return {};
  }

  async deleteVolume(c: Command<'deleteVolume'>) {
    await rm(path.dirname(volumePath(c.volume)), { recursive: true, force: true });
    return {};
  }

  async listImages(c: Command<'listImages'>) {
    const dir = path.join(domainDir(c.domain), 'images');
    const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const images: { diskId: string; modifiedAt: number }[] = [];
    for (const name of names.filter((n) => UUID.test(n))) {
      const info = await stat(path.join(dir, name)).catch(() => null);
      if (info?.isDirectory()) images.push({ diskId: name, modifiedAt: info.mtimeMs });
    }
    return { now: Date.now(), images };
  }

  async volumeInfo(c: Command<'volumeInfo'>) {
    const file = volumePath(c.volume);
    if (!(await exists(file))) return { exists: false as const };
    await requireQemuImg();
    const info = await imageInfo(file, fileFormat(c.format));
    return { exists: true as const, virtualSizeBytes: Number(info.virtualSizeBytes), actualSizeBytes: Number(info.actualSizeBytes) };
  }

  async stageVolume(c: Command<'stageVolume'>) {
    const out = await this.newStage(c.stageId);
    const file = volumePath(c.volume);
    const empty = !(await exists(file)) ? ('noImage' as const) : !(await qemuImgInstalled()) ? ('noQemuImg' as const) : null;
    try {
      if (empty) await writeFile(out, emptyQcow2(BigInt(c.sizeBytes)), { flag: 'wx' });
      else await convertImage(file, fileFormat(c.format), out, 'qcow2');
    } catch (e) {
      await rm(out, { force: true });
      throw e;
    }
    return { sizeBytes: (await stat(out)).size, empty };
  }

  async sendStage(c: Command<'sendStage'>, ctx: TransferContext) {
    const file = stagePath(c.stageId);
    try {
      await sendFile(transferUrl(ctx.engineUrl, c.transferPath), file);
    } finally {
      await rm(file, { force: true });
    }
    return {};
  }

  async receiveStage(c: Command<'receiveStage'>, ctx: TransferContext) {
    if (!(await qemuImgInstalled())) return { state: 'noQemuImg' as const };
    const file = await this.newStage(c.stageId);
    try {
      await receiveFile(transferUrl(ctx.engineUrl, c.transferPath), file, c.sizeBytes);
    } catch (e) {
      await rm(file, { force: true });
      throw e;
    }
    try {
      const info = await imageInfo(file);
      return {
        state: 'read' as const,
        format: info.format,
        virtualSizeBytes: Number(info.virtualSizeBytes),
        externalFiles: info.externalFiles,
      };
    } catch (e) {
      return { state: 'unreadable' as const, message: (e as Error).message };
    }
  }

  async convertStage(c: Command<'convertStage'>) {
    await requireQemuImg();
    const out = await this.newStage(c.targetStageId);
    const format = fileFormat(c.format);
    try {
      await convertImage(stagePath(c.stageId), c.sourceFormat, out, format);
      return { actualSizeBytes: Number((await imageInfo(out, format)).actualSizeBytes) };
    } catch (e) {
      await rm(out, { force: true });
      throw e;
    }
  }

  async discardStages(c: Command<'discardStages'>) {
    await Promise.all(c.stageIds.map((id) => rm(stagePath(id), { force: true })));
    return {};
  }

  receiveIsoImage(c: Command<'receiveIsoImage'>, ctx: TransferContext) {
    return receiveIsoImage(c, ctx);
  }

  deleteIsoImage(c: Command<'deleteIsoImage'>) {
    return deleteIsoImage(c);
  }

  listIsoImages(c: Command<'listIsoImages'>) {
    return listIsoImages(c);
  }

  /** The path of a new staged file (which must not exist yet), after sweeping stale ones. */
  private async newStage(stageId: string): Promise<string> {
    await mkdir(stagingDir(), { recursive: true });
    const now = Date.now();
    for (const name of await readdir(stagingDir())) {
      const file = path.join(stagingDir(), name);
      const s = await stat(file).catch(() => null);
      if (s && now - s.mtimeMs > STAGE_MAX_AGE_MS) await rm(file, { force: true });
    }
    const file = stagePath(stageId);
    if (await exists(file)) throw new Error(`stage ${stageId} already exists`);
    return file;
  }
}
