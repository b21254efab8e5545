// Live disk move on a real VM (oVirt's LSM): the engine's GraphQL API, an agent process on the
// libvirt driver, the project's own libvirtd (lv8) and QEMU running the tiny guest. Moving the disk
// of the running VM between two POSIX domains copies the chain under the running image, makes that
// one empty over the copy on the target, mirrors the running layer onto it with `virsh blockcopy
// --reuse-external --shallow` and pivots: the guest writes on from the target, every marker reads
// back, the chain is on the target only and the source image folder is gone. A block copy libvirt
// refuses leaves the VM on its source, nothing on the target, and the event log says why. A disk
// of one volume is mirrored whole (no --shallow) onto an empty image on the target. After the
// pivot the agent's diskSources (what a restarted engine asks) names the target domain.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildInventory, mutate } from '../support/inventory.ts';
import { buildGuest, requireLibvirt, root } from '../support/libvirt.ts';
import { startLibvirtHost, type LibvirtHost } from '../support/libvirtHost.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { gqlOf, runTinyGuest, type TinyGuest } from '../support/tinyGuest.ts';

const libvirt = requireLibvirt();
const VM = 'lsm-tiny';

describe.skipIf(!libvirt.run)(`live disk move on libvirt${libvirt.run ? '' : ` (skipped: ${libvirt.reason})`}`, () => {
  let t: TestEngine;
  let server: { url: string; stop(): Promise<void> };
  let host: LibvirtHost | null = null;
  let g: TinyGuest;
  let diskGid: string;
  let storageDir: string;
  const domains: Record<'A' | 'B', { gid: string; dir: string }> = {} as never;
  const timings: Record<string, number> = {};
  const stateDir = mkdtempSync(path.join(tmpdir(), 'vireo-lsm-'));

  /** moveDisk to domain `to`, its time kept under `name`. */
  async function move(name: string, to: 'A' | 'B') {
    const started = performance.now();
    const r = await gqlOf(t).act('moveDisk', { id: diskGid, storageDomain: domains[to].gid });
    timings[name] = Math.round(performance.now() - started);
    return r;
  }
  /** The disk's image folder on a domain. */
  const folder = (on: 'A' | 'B') => path.join(domains[on].dir, decodeGlobalID(domains[on].gid).id, 'images', decodeGlobalID(diskGid).id);
  const diskDomain = async () =>
    (await gqlOf(t).query(`query($id: ID!) { node(id: $id) { ... on Disk { status storageDomain { name } } } }`, { id: diskGid })).node;

  beforeAll(async () => {
    const guest = buildGuest();
    t = await startTestEngine();
    server = await t.listen();
    const inv = await buildInventory(t, 'L');
    await mutate(t, 'updateNetwork', { id: inv.mgmt.id, vmNetwork: false }, 'network');
    host = await startLibvirtHost(t, server.url, { instance: 'lv8', n: 8, name: 'lsm-host1', clusterGid: inv.cluster.id, stateDir });
    storageDir = mkdtempSync(path.join(root, '.cache/libvirt-test/lsm-'));
    process.env.VIREO_STORAGE_ROOTS = path.join(root, '.cache/libvirt-test');
    for (const name of ['A', 'B'] as const) {
      const dir = path.join(storageDir, name);
      mkdirSync(dir);
      const sd = await mutate(
        t,
        'addStorageDomain',
        { name: `L-posix-${name}`, dataCenter: inv.dc.id, path: dir, storageType: 'POSIXFS' },
        'storageDomain',
      );
      domains[name] = { gid: sd.id, dir };
    }
    g = await runTinyGuest(t, host, guest, {
      name: VM,
      hostname: 'lsmtiny',
      clusterGid: inv.cluster.id,
      storageDomainGid: domains.A.gid,
      diskAlias: 'lsm-data',
    });
    diskGid = (await gqlOf(t).query(`query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id } } } } }`, { id: g.vmGid }))
      .node.diskAttachments[0].disk.id;
  }, 400_000);

  afterAll(async () => {
    await host?.stop();
    console.log(`live disk move timings on the tiny guest's 64 MiB disk (ms): ${JSON.stringify(timings)}`);
    await server?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
    rmSync(stateDir, { recursive: true, force: true });
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  });

  it('moves the running disk with its snapshot chain to another domain: the guest writes on there, every marker reads back', async () => {
    await g.inGuest('echo one > /data/m1 && sync');
    const snap = await gqlOf(t).act('createSnapshot', { vm: g.vmGid, description: 'before the move' });
    expect(snap.__typename, JSON.stringify(snap)).toBe('MutationCreateSnapshotSuccess');
    await g.inGuest('echo two > /data/m2 && sync');
    expect(await g.chain()).toHaveLength(2);
    expect((await g.chain()).every((f) => f.startsWith(`${folder('A')}/`))).toBe(true);

    const progress: number[] = [];
    void (async () => {
      for await (const e of t.engine.pubsub.subscribe('job:progress')) if (typeof e.progress === 'number') progress.push(e.progress);
    })();
    const moved = await move('liveMove', 'B');
    expect(moved.__typename, JSON.stringify(moved)).toBe('MutationMoveDiskSuccess');
    expect(await g.status()).toBe('UP');
    expect(await diskDomain()).toEqual({ status: 'OK', storageDomain: { name: 'L-posix-B' } });
    // libvirt runs the disk from the target, its whole chain there; the source folder is gone.
    expect(await g.source()).toMatch(new RegExp(`^${folder('B')}/`));
    const files = await g.chain();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.startsWith(`${folder('B')}/`))).toBe(true);
    expect(existsSync(folder('A'))).toBe(false);
    // What an engine restarted during the move is told (agent command diskSources): the disk runs from the target, no copy mirroring.
    const lsmHost = await t.engine.db.host.findFirstOrThrow({ where: { name: 'lsm-host1' }, select: { id: true, name: true } });
    expect(await t.engine.hosts.diskSources(lsmHost, decodeGlobalID(g.vmGid).id)).toContainEqual(
      expect.objectContaining({ domainId: decodeGlobalID(domains.B.gid).id, diskId: decodeGlobalID(diskGid).id, copying: false }),
    );
    await g.inGuest('echo three > /data/m3 && sync');
    expect(await g.marks()).toBe('one\ntwo\nthree');
    const job = await t.engine.db.job.findFirst({ where: { description: 'Moving Disk lsm-data to Storage Domain L-posix-B' } });
    expect(job).toMatchObject({ status: 'FINISHED' });
    // The Job moved on once the chain was copied and once the domain had pivoted.
    expect(progress).toEqual(expect.arrayContaining([50, 99]));
  }, 240_000);

  it('a block copy libvirt refuses leaves the VM on its source and nothing on the target, with an event saying why', async () => {
    const before = { source: await g.source(), chain: await g.chain() };
    // Another block job on the disk (a pull held at a byte a second): libvirt refuses a copy beside it.
    await g.virsh('blockpull', VM, 'vda', '--bandwidth', '1', '--bytes');
    try {
      const refused = await move('refused', 'A');
      expect(refused.__typename).toBe('ActionFailedError');
      expect(refused.message).toMatch(/block job/i);
      // The pull is still there: the failed move aborted only what it started.
      expect(await g.virsh('blockjob', VM, 'vda', '--info', '--raw')).toMatch(/type=.*pull/i);
    } finally {
      await g.virsh('blockjob', VM, 'vda', '--abort');
      await vi.waitFor(async () => expect(await g.virsh('blockjob', VM, 'vda', '--info')).toMatch(/No current block job/), {
        timeout: 30_000,
      });
    }
    expect(await g.status()).toBe('UP');
    expect(await g.source()).toBe(before.source);
    expect(await g.chain()).toEqual(before.chain);
    expect(existsSync(folder('A'))).toBe(false);
    expect(await diskDomain()).toEqual({ status: 'OK', storageDomain: { name: 'L-posix-B' } });
    const events = await t.engine.db.auditLog.findMany({ where: { code: 'USER_ACTION_FAILED' }, orderBy: { createdAt: 'desc' } });
    expect(events[0]?.message).toMatch(/move Disk/);
    expect(events[0]?.message).toMatch(/block job/i);
    // Once the other job is gone, the same move goes through, back to the first domain.
    expect((await move('liveMoveBack', 'A')).__typename).toBe('MutationMoveDiskSuccess');
    expect((await g.chain()).every((f) => f.startsWith(`${folder('A')}/`))).toBe(true);
    expect(existsSync(folder('B'))).toBe(false);
    await g.inGuest('echo four > /data/m4 && sync');
    expect(await g.marks()).toBe('one\ntwo\nthree\nfour');
  }, 240_000);

  it('a disk of one volume moves live too: the whole disk is mirrored onto an empty image on the target', async () => {
    const { query, act } = gqlOf(t);
    const [snap] = (
      await query(`query($id: ID!) { node(id: $id) { ... on Vm { snapshots { id type } } } }`, { id: g.vmGid })
    ).node.snapshots.filter((s: { type: string }) => s.type === 'REGULAR');
    expect((await act('removeSnapshot', { vm: g.vmGid, snapshot: snap.id })).__typename).toBe('MutationRemoveSnapshotSuccess');
    expect(await g.chain()).toHaveLength(1);
    expect((await move('liveMoveOneVolume', 'B')).__typename).toBe('MutationMoveDiskSuccess');
    expect(await g.chain()).toEqual([await g.source()]);
    expect(await g.source()).toMatch(new RegExp(`^${folder('B')}/`));
    expect(existsSync(folder('A'))).toBe(false);
    await g.inGuest('echo five > /data/m5 && sync');
    expect(await g.marks()).toBe('one\ntwo\nthree\nfour\nfive');
  }, 240_000);
});
