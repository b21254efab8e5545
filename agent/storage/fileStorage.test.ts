// The storage verbs over real files and real qemu-img: volumes where oVirt puts them, the first
// blocks of a simulated disk, growing, info, removal; and the staging area with its transfers over
// HTTP against a small server standing in for the engine's /transfers route.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VolumeRef } from '../../protocol/storage.ts';
import { simulatedDiskContent } from '../drivers/simulatedDisk.ts';
import { FileStorage } from './fileStorage.ts';
import { stagingDir, volumePath } from './domainLayout.ts';

const MiB = 1024 * 1024;
const qemuImg = (...args: string[]) => execFileSync('qemu-img', args, { encoding: 'utf8' });
const info = (file: string, format?: string) => JSON.parse(qemuImg('info', '--output=json', ...(format ? ['-f', format] : []), file));

let root: string;
let savedDataDir: string | undefined;
let engine: http.Server;
let engineUrl: string;
/** What the stand-in engine serves (GET) and received (PUT), by path. */
const served = new Map<string, string>();
const received = new Map<string, string>();

const storage = new FileStorage({ firstBlocks: simulatedDiskContent });
const volume = (domainPath = 'nfs.example.org:/exports/data', domainId = randomUUID()): VolumeRef => ({
  domainId,
  domainPath,
  diskId: randomUUID(),
  imageId: randomUUID(),
});
const ticket = () => `/transfers/${randomUUID().replaceAll('-', '')}`;
const ctx = () => ({ engineUrl });

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'vireo-file-storage-'));
  savedDataDir = process.env.VIREO_DATA_DIR;
  process.env.VIREO_DATA_DIR = path.join(root, 'data');
  engine = http.createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && served.has(req.url!)) {
        const file = served.get(req.url!)!;
        res.writeHead(200, { 'content-length': statSync(file).size });
        await pipeline(createReadStream(file), res);
      } else if (req.method === 'PUT') {
        const file = path.join(root, `received-${received.size}`);
        await pipeline(req, createWriteStream(file));
        received.set(req.url!, file);
        res.end('ok');
      } else {
        res.writeHead(404).end('no such transfer');
      }
    })();
  });
  await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
  engineUrl = `ws://127.0.0.1:${(engine.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => engine.close(resolve));
  if (savedDataDir === undefined) delete process.env.VIREO_DATA_DIR;
  else process.env.VIREO_DATA_DIR = savedDataDir;
  rmSync(root, { recursive: true, force: true });
});

describe('volumes', () => {
  it('a COW volume on a simulated domain is a qcow2 (compat 1.1) under <data>/storage/<domain>/images/<disk>/<image>, holding the first blocks', async () => {
    const v = volume();
    const { actualSizeBytes } = await storage.createVolume({
      type: 'createVolume',
      volume: v,
      format: 'COW',
      sizeBytes: 64 * MiB,
      label: { diskAlias: 'os', vmName: 'web01' },
    });
    const file = volumePath(v);
    expect(file).toBe(path.join(root, 'data', 'storage', v.domainId, 'images', v.diskId, v.imageId));
    expect(info(file, 'qcow2')).toMatchObject({
      format: 'qcow2',
      'virtual-size': 64 * MiB,
      'format-specific': { data: { compat: '1.1' } },
    });
    expect(actualSizeBytes).toBe(statSync(file).blocks * 512);
    const raw = path.join(root, 'head.raw');
    qemuImg('convert', '-f', 'qcow2', '-O', 'raw', file, raw);
    expect(readFileSync(raw).subarray(4096, 4200).toString('utf8')).toContain(`disk: os\nid: ${v.diskId}\nvm: web01\n`);
    rmSync(raw);
  });

  it('on a local directory domain a RAW volume is a sparse file under <path>/<domain id>, zeros only; it grows and is removed', async () => {
    const local = mkdtempSync(path.join(root, 'posix-'));
    const v = volume(local);
    await storage.createVolume({
      type: 'createVolume',
      volume: v,
      format: 'RAW',
      sizeBytes: 16 * MiB,
      label: { diskAlias: 'data', vmName: null },
    });
    const file = volumePath(v);
    expect(file.startsWith(path.join(local, v.domainId, 'images'))).toBe(true);
    expect(readFileSync(file).every((b) => b === 0)).toBe(true);
    await storage.extendVolume({ type: 'extendVolume', volume: v, format: 'RAW', sizeBytes: 32 * MiB });
    expect(statSync(file).size).toBe(32 * MiB);
    await expect(storage.extendVolume({ type: 'extendVolume', volume: v, format: 'RAW', sizeBytes: 8 * MiB })).rejects.toThrow(/only grow/);
    await storage.deleteVolume({ type: 'deleteVolume', volume: v });
    expect(existsSync(path.dirname(file))).toBe(false);
    await expect(storage.volumeInfo({ type: 'volumeInfo', volume: v, format: 'RAW' })).resolves.toEqual({ exists: false });
  });

  it('a qcow2 grows with qemu-img; info reports its sizes; creating it twice is refused', async () => {
    const v = volume();
    await storage.createVolume({ type: 'createVolume', volume: v, format: 'COW', sizeBytes: 16 * MiB });
    await storage.extendVolume({ type: 'extendVolume', volume: v, format: 'COW', sizeBytes: 48 * MiB });
    const got = await storage.volumeInfo({ type: 'volumeInfo', volume: v, format: 'COW' });
    expect(got).toMatchObject({ exists: true, virtualSizeBytes: 48 * MiB });
    await expect(storage.createVolume({ type: 'createVolume', volume: v, format: 'COW', sizeBytes: 16 * MiB })).rejects.toThrow(
      /already exists/,
    );
  });
});

describe('staging and transfers', () => {
  it('export: a volume staged as qcow2 and PUT to the engine holds the same data; the stage is gone after', async () => {
    const v = volume();
    await storage.createVolume({
      type: 'createVolume',
      volume: v,
      format: 'RAW',
      sizeBytes: 16 * MiB,
      label: { diskAlias: 'exported', vmName: 'vm1' },
    });
    const stageId = randomUUID();
    const staged = await storage.stageVolume({ type: 'stageVolume', volume: v, format: 'RAW', sizeBytes: 16 * MiB, stageId });
    expect(staged.empty).toBeNull();
    const path_ = ticket();
    await storage.sendStage({ type: 'sendStage', stageId, transferPath: path_ }, ctx());
    const got = received.get(path_)!;
    expect(statSync(got).size).toBe(staged.sizeBytes);
    expect(info(got)).toMatchObject({ format: 'qcow2', 'virtual-size': 16 * MiB });
    qemuImg('compare', '-q', '-f', 'raw', '-F', 'qcow2', volumePath(v), got);
    expect(readdirSync(stagingDir())).toEqual([]);
  });

  it('export of a volume without an image gives an empty qcow2 of its size, and says so', async () => {
    const stageId = randomUUID();
    const staged = await storage.stageVolume({ type: 'stageVolume', volume: volume(), format: 'COW', sizeBytes: 2 * 1024 * MiB, stageId });
    expect(staged.empty).toBe('noImage');
    await storage.discardStages({ type: 'discardStages', stageIds: [stageId] });
    expect(readdirSync(stagingDir())).toEqual([]);
  });

  it('import: GET from the engine, inspected (probed format, outside files), converted, placed as a volume', async () => {
    const src = path.join(root, 'src.vmdk');
    const raw = path.join(root, 'src.raw');
    execFileSync('truncate', ['-s', String(32 * MiB), raw]);
    execFileSync('dd', ['if=/dev/urandom', `of=${raw}`, 'bs=4096', 'count=4', 'conv=notrunc'], { stdio: 'ignore' });
    qemuImg('convert', '-q', '-f', 'raw', '-O', 'vmdk', '-o', 'subformat=streamOptimized', raw, src);
    const path_ = ticket();
    served.set(path_, src);
    const stageId = randomUUID();
    const inspected = await storage.receiveStage(
      { type: 'receiveStage', stageId, transferPath: path_, sizeBytes: statSync(src).size },
      ctx(),
    );
    expect(inspected).toEqual({ state: 'read', format: 'vmdk', virtualSizeBytes: 32 * MiB, externalFiles: [] });
    const converted = randomUUID();
    const { actualSizeBytes } = await storage.convertStage({
      type: 'convertStage',
      stageId,
      sourceFormat: 'vmdk',
      targetStageId: converted,
      format: 'COW',
    });
    expect(actualSizeBytes).toBeGreaterThan(0);
    const v = volume();
    await storage.createVolume({ type: 'createVolume', volume: v, format: 'COW', sizeBytes: 32 * MiB, fromStage: converted });
    qemuImg('compare', '-q', '-f', 'raw', '-F', 'qcow2', raw, volumePath(v));
    await storage.discardStages({ type: 'discardStages', stageIds: [stageId, converted] });
    expect(readdirSync(stagingDir())).toEqual([]);
  });

  it('import: a qcow2 backed by a host file is reported with it; a short transfer fails and leaves nothing', async () => {
    const evil = path.join(root, 'evil.qcow2');
    qemuImg('create', '-q', '-f', 'qcow2', '-b', '/etc/hostname', '-F', 'raw', evil, String(MiB));
    const path_ = ticket();
    served.set(path_, evil);
    const stageId = randomUUID();
    const inspected = await storage.receiveStage(
      { type: 'receiveStage', stageId, transferPath: path_, sizeBytes: statSync(evil).size },
      ctx(),
    );
    expect(inspected).toMatchObject({ state: 'read', format: 'qcow2', externalFiles: ['/etc/hostname'] });
    await storage.discardStages({ type: 'discardStages', stageIds: [stageId] });
    await expect(
      storage.receiveStage({ type: 'receiveStage', stageId: randomUUID(), transferPath: path_, sizeBytes: statSync(evil).size + 1 }, ctx()),
    ).rejects.toThrow(/not \d+/);
    await expect(
      storage.receiveStage({ type: 'receiveStage', stageId: randomUUID(), transferPath: ticket(), sizeBytes: 1 }, ctx()),
    ).rejects.toThrow(/404/);
    expect(readdirSync(stagingDir())).toEqual([]);
  });
});

describe('copies', () => {
  it('a RAW volume copied into a new COW volume holds the same data; a copy over a file already there is refused and leaves it', async () => {
    const local = mkdtempSync(path.join(root, 'posix-'));
    const src = volume(local);
    await storage.createVolume({ type: 'createVolume', volume: src, format: 'RAW', sizeBytes: 8 * MiB });
    execFileSync('qemu-io', ['-f', 'raw', '-c', 'write -P 0x5c 1M 64k', volumePath(src)]);
    const dst = { ...volume(local), domainId: src.domainId };
    const copied = await storage.copyVolume({ type: 'copyVolume', source: src, sourceFormat: 'RAW', target: dst, format: 'COW' });
    expect(copied).toEqual({ copied: true, actualSizeBytes: statSync(volumePath(dst)).blocks * 512 });
    expect(info(volumePath(dst), 'qcow2')).toMatchObject({ format: 'qcow2', 'virtual-size': 8 * MiB });
    expect(qemuImg('compare', '-f', 'raw', '-F', 'qcow2', volumePath(src), volumePath(dst))).toContain('Images are identical');
    const before = readFileSync(volumePath(dst));
    await expect(storage.copyVolume({ type: 'copyVolume', source: src, sourceFormat: 'RAW', target: dst, format: 'COW' })).rejects.toThrow(
      /already exists/,
    );
    expect(readFileSync(volumePath(dst)).equals(before)).toBe(true);
    expect(readdirSync(path.dirname(volumePath(dst)))).toEqual([dst.imageId]); // no partial file left
  });

  it('nothing is made from a volume with no image: no copy, no overlay', async () => {
    const none = volume();
    const dst = volume();
    await expect(
      storage.copyVolume({ type: 'copyVolume', source: none, sourceFormat: 'COW', target: dst, format: 'COW' }),
    ).resolves.toEqual({
      copied: false,
      actualSizeBytes: 0,
    });
    await storage.createVolume({
      type: 'createVolume',
      volume: dst,
      format: 'COW',
      sizeBytes: MiB,
      backing: { volume: none, format: 'COW' },
    });
    expect(existsSync(path.dirname(volumePath(dst)))).toBe(false);
  });

  it('an image folder is copied to another domain with its chain: the overlay still finds its backing there', async () => {
    const local = mkdtempSync(path.join(root, 'posix-'));
    const top = volume(local);
    await storage.createVolume({ type: 'createVolume', volume: top, format: 'COW', sizeBytes: 8 * MiB });
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x61 0 64k', volumePath(top)]);
    const kept = randomUUID();
    await storage.overlayVolume({
      type: 'overlayVolume',
      volume: top,
      keepAs: kept,
      backing: { ...top, imageId: kept },
      backingFormat: 'COW',
      sizeBytes: 8 * MiB,
    });
    const target = { domainId: randomUUID(), domainPath: local };
    const res = await storage.copyImage({ type: 'copyImage', source: top, target });
    expect(res.copied).toBe(true);
    const moved = volumePath({ ...top, ...target });
    expect(JSON.parse(qemuImg('info', '--backing-chain', '--output=json', moved))).toHaveLength(2);
    expect(execFileSync('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -P 0x61 0 64k', moved], { encoding: 'utf8' })).not.toContain(
      'verification failed',
    );
    await expect(storage.copyImage({ type: 'copyImage', source: top, target })).rejects.toThrow(/already exists/);
  });
});
