// A real VM whose disk lies on an NFS domain: nfs-ganesha exports a folder, the agent of a libvirt
// host (lv9) mounts it (here through its user-space client, these machines having no kernel NFS
// client) and QEMU runs the tiny guest from the image there. What the guest writes, a live
// snapshot's overlay, a live merge and a memory snapshot all land on the NFS server: checked on the
// server's side.
// The test's libvirtd lives in a mount namespace of its own; the agent's mount folder (in a data
// folder of this file's own, so no other test's mounts sit under it) is made a shared mount point
// first, so the export mounted there later reaches libvirtd (a libvirtd of the host's own
// namespace, as in production, sees it anyway).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildInventory, mutate } from '../support/inventory.ts';
import { buildGuest, requireLibvirt } from '../support/libvirt.ts';
import { startLibvirtHost, type LibvirtHost } from '../support/libvirtHost.ts';
import { startNfsServer, type NfsServer } from '../support/nfsServer.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { gqlOf, runTinyGuest, type TinyGuest } from '../support/tinyGuest.ts';
import { nfsMountPoint } from '../../agent/storage/domainLayout.ts';
import { mountRoot } from '../../agent/storage/nfsMounts.ts';

const libvirt = requireLibvirt();

describe.skipIf(!libvirt.run)(`a VM on an NFS domain${libvirt.run ? '' : ` (skipped: ${libvirt.reason})`}`, () => {
  let t: TestEngine;
  let server: { url: string; stop(): Promise<void> };
  let host: LibvirtHost | null = null;
  let nfs: NfsServer | null = null;
  let g: TinyGuest;
  let folder: string;
  let guestBoot: { kernelPath: string; initrdPath: string; kernelParams: string };
  const exportDir = mkdtempSync(path.join(tmpdir(), 'vireo-nfsvm-export-'));
  const stateDir = mkdtempSync(path.join(tmpdir(), 'vireo-nfsvm-'));
  const savedDataDir = process.env.VIREO_DATA_DIR;

  beforeAll(async () => {
    const guest = buildGuest();
    guestBoot = { kernelPath: guest.kernel, initrdPath: guest.initrd, kernelParams: 'console=ttyS0 quiet mitigations=off hn=nfstiny' };
    nfs = await startNfsServer(exportDir);
    process.env.VIREO_DATA_DIR = path.join(stateDir, 'data');
    mkdirSync(mountRoot(), { recursive: true });
    execFileSync('mount', ['--bind', mountRoot(), mountRoot()]);
    execFileSync('mount', ['--make-shared', mountRoot()]);
    t = await startTestEngine();
    server = await t.listen();
    const inv = await buildInventory(t, 'F');
    await mutate(t, 'updateNetwork', { id: inv.mgmt.id, vmNetwork: false }, 'network');
    host = await startLibvirtHost(t, server.url, { instance: 'lv9', n: 9, name: 'nfs-lv-host', clusterGid: inv.cluster.id, stateDir });
    const sd = await mutate(
      t,
      'addStorageDomain',
      { name: 'F-nfs', dataCenter: inv.dc.id, path: nfs.address, storageType: 'NFS', mountOptions: nfs.mountOptions },
      'storageDomain',
    );
    g = await runTinyGuest(t, host, guest, {
      name: 'nfs-tiny',
      hostname: 'nfstiny',
      clusterGid: inv.cluster.id,
      storageDomainGid: sd.id,
      diskAlias: 'nfs-data',
    });
    const disk = (
      await gqlOf(t).query(`query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id } } } } }`, { id: g.vmGid })
    ).node.diskAttachments[0].disk.id;
    folder = path.join(exportDir, decodeGlobalID(sd.id).id, 'images', decodeGlobalID(disk).id);
  }, 400_000);

  afterAll(async () => {
    await host?.stop();
    await server?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
    // The agent was killed; its mount outlives it (as a kernel NFS mount would).
    if (nfs && existsSync(nfsMountPoint(nfs.address))) execFileSync('umount', ['-l', nfsMountPoint(nfs.address)]);
    await nfs?.close();
    execFileSync('umount', ['-l', mountRoot()]);
    if (savedDataDir === undefined) delete process.env.VIREO_DATA_DIR;
    else process.env.VIREO_DATA_DIR = savedDataDir;
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(exportDir, { recursive: true, force: true });
  });

  /** The image files of the disk on the NFS server's side. */
  const onServer = () => readdirSync(folder).sort();

  it('runs from the image on the NFS server, through the mount', async () => {
    expect(await g.status()).toBe('UP');
    expect(await g.source()).toMatch(new RegExp(`^${nfsMountPoint(nfs!.address)}/`));
    expect(onServer()).toHaveLength(1);
    await g.inGuest('echo one > /data/m1 && sync');
    expect(await g.marks()).toBe('one');
  });

  it('takes a live snapshot there and merges it back while the guest runs', async () => {
    const snap = await gqlOf(t).act('createSnapshot', { vm: g.vmGid, description: 'on nfs' });
    expect(snap.__typename, JSON.stringify(snap)).toBe('MutationCreateSnapshotSuccess');
    // The overlay the guest now writes to was made on the server.
    expect(onServer()).toHaveLength(2);
    expect(await g.chain()).toHaveLength(2);
    await g.inGuest('echo two > /data/m2 && sync');
    const snapshotId = (
      await gqlOf(t).query(`query($id: ID!) { node(id: $id) { ... on Vm { snapshots { id description } } } }`, { id: g.vmGid })
    ).node.snapshots.find((s: { description: string }) => s.description === 'on nfs').id;
    const merged = await gqlOf(t).act('removeSnapshot', { vm: g.vmGid, snapshot: snapshotId });
    expect(merged.__typename, JSON.stringify(merged)).toBe('MutationRemoveSnapshotSuccess');
    expect(await g.chain()).toHaveLength(1);
    expect(onServer()).toHaveLength(1);
    expect(await g.status()).toBe('UP');
    expect(await g.marks()).toBe('one\ntwo');
  }, 120_000);

  it('saves the running guest memory with a snapshot (virsh --memspec) in a memory volume on the server', async () => {
    // The guest's /tmp is a tmpfs: what it holds lives in the guest's memory only.
    await g.inGuest('echo in-memory-before > /tmp/mem-mark');
    const snap = await gqlOf(t).act('createSnapshot', { vm: g.vmGid, description: 'with memory', withMemory: true });
    expect(snap.__typename, JSON.stringify(snap)).toBe('MutationCreateSnapshotSuccess');
    // Paused while its memory is saved, then running on.
    await vi.waitFor(async () => expect(await g.status()).toBe('UP'), { timeout: 15_000, interval: 250 });
    const images = path.dirname(folder);
    const dumps = readdirSync(images)
      .filter((d) => path.join(images, d) !== folder)
      .flatMap((d) => readdirSync(path.join(images, d)).map((f) => path.join(images, d, f)));
    expect(dumps).toHaveLength(1);
    // libvirt's saved-domain format, holding the guest's memory.
    expect(readFileSync(dumps[0]!).subarray(0, 16).toString()).toBe('LibvirtQemudSave');
    expect(statSync(dumps[0]!).size).toBeGreaterThan(4 * 1024 ** 2);
    await g.inGuest('echo three > /data/m3 && sync');
    expect(await g.marks()).toBe('one\ntwo\nthree');
  }, 120_000);

  it('resumes the guest from that memory after a preview with restoreMemory: what it held in RAM is back, no boot', async () => {
    await g.inGuest('echo in-memory-after > /tmp/mem-mark');
    const { query, act } = gqlOf(t);
    const snapshots = async () =>
      (await query(`query($id: ID!) { node(id: $id) { ... on Vm { snapshots { id description } } } }`, { id: g.vmGid })).node.snapshots;
    const snapshotId = (await snapshots()).find((s: { description: string }) => s.description === 'with memory').id;
    expect((await act('stopVm', { id: g.vmGid })).__typename).toBe('MutationStopVmSuccess');
    await vi.waitFor(async () => expect(await g.status()).toBe('DOWN'), { timeout: 60_000, interval: 250 });
    const preview = await act('previewSnapshot', { vm: g.vmGid, snapshot: snapshotId, restoreMemory: true });
    expect(preview.__typename, JSON.stringify(preview)).toBe('MutationPreviewSnapshotSuccess');
    const started = Date.now();
    const run = await act('runVm', { id: g.vmGid, host: host!.hostGid, runOnce: guestBoot });
    expect(run.__typename, JSON.stringify(run)).toBe('MutationRunVmSuccess');
    await vi.waitFor(async () => expect(await g.status()).toBe('UP'), { timeout: 60_000, interval: 250 });
    // The tmpfs holds what it held when the snapshot was taken: the guest was resumed, not booted.
    await vi.waitFor(async () => expect(await g.inGuest('cat /tmp/mem-mark')).toBe('in-memory-before'), { timeout: 60_000, interval: 500 });
    console.log(`resumed from the memory snapshot in ${Date.now() - started} ms`);
    // The disk is the snapshot's: the marker written after it is gone; the guest writes on.
    expect(await g.marks()).toBe('one\ntwo');
    // Used once: the next run boots.
    expect((await act('stopVm', { id: g.vmGid })).__typename).toBe('MutationStopVmSuccess');
    await vi.waitFor(async () => expect(await g.status()).toBe('DOWN'), { timeout: 60_000, interval: 250 });
    expect((await act('runVm', { id: g.vmGid, host: host!.hostGid, runOnce: guestBoot })).__typename).toBe('MutationRunVmSuccess');
    await vi.waitFor(async () => expect(await g.inGuest('cat /tmp/mem-mark 2>/dev/null || echo none')).toBe('none'), {
      timeout: 120_000,
      interval: 1000,
    });
  }, 300_000);
});
