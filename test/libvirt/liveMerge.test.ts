// Live merge on a real VM: the engine's GraphQL API, an agent process on the libvirt driver, the
// project's own libvirtd (lv7) and QEMU running the tiny guest. Removing a snapshot of the running
// VM commits its volume with `virsh blockcommit` (the active layer with --active --pivot, a middle
// volume with --top/--base) while the guest writes on; the guest reads every marker afterwards and
// the chain libvirt runs on is one volume shorter. A block commit libvirt refuses leaves the
// snapshot and the chain as they were, and the event log says why.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildInventory, mutate } from '../support/inventory.ts';
import { buildGuest, requireLibvirt, root } from '../support/libvirt.ts';
import { startLibvirtHost, type LibvirtHost } from '../support/libvirtHost.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { gqlOf, runTinyGuest, type TinyGuest } from '../support/tinyGuest.ts';

const libvirt = requireLibvirt();
const HOST = 'lm-host1';
const VM = 'lm-tiny';

describe.skipIf(!libvirt.run)(`live merge on libvirt${libvirt.run ? '' : ` (skipped: ${libvirt.reason})`}`, () => {
  let t: TestEngine;
  let server: { url: string; stop(): Promise<void> };
  let g: TinyGuest;
  let host: LibvirtHost | null = null;
  let vmGid: string;
  let storageDir: string;
  const timings: Record<string, number> = {};
  /** removeSnapshot, its time kept under `name`. */
  async function remove(name: string, snapshot: string) {
    const started = performance.now();
    const r = await act('removeSnapshot', { vm: vmGid, snapshot });
    timings[name] = Math.round(performance.now() - started);
    return r;
  }
  const query = <T = any>(q: string, variables: Record<string, unknown> = {}) => gqlOf(t).query<T>(q, variables);
  const act = (name: string, input: Record<string, unknown>) => gqlOf(t).act(name, input);
  const stateDir = mkdtempSync(path.join(tmpdir(), 'vireo-merge-'));

  /** The disk's volume rows, top first, as the API shows them. */
  const volumes = async () => {
    const vm = (
      await query(
        `query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id parent { id parent { id parent { id } } } } } } } }`,
        {
          id: vmGid,
        },
      )
    ).node;
    const ids: string[] = [];
    for (let d = vm.diskAttachments[0].disk; d; d = d.parent) ids.push(d.id);
    return ids;
  };
  const snapshots = async () =>
    (
      await query(`query($id: ID!) { node(id: $id) { ... on Vm { snapshots { id description type } } } }`, { id: vmGid })
    ).node.snapshots.filter((s: { type: string }) => s.type === 'REGULAR') as { id: string; description: string }[];
  async function snapshot(description: string) {
    const r = await query(
      `mutation($input: CreateSnapshotInput!) { createSnapshot(input: $input) { __typename ... on Error { message }
        ... on MutationCreateSnapshotSuccess { snapshot { id } } } }`,
      { input: { vm: vmGid, description } },
    );
    expect(r.createSnapshot.__typename, JSON.stringify(r)).toBe('MutationCreateSnapshotSuccess');
    return r.createSnapshot.snapshot.id as string;
  }

  beforeAll(async () => {
    const guest = buildGuest();
    t = await startTestEngine();
    server = await t.listen();
    const inv = await buildInventory(t, 'M');
    await mutate(t, 'updateNetwork', { id: inv.mgmt.id, vmNetwork: false }, 'network');
    host = await startLibvirtHost(t, server.url, { instance: 'lv7', n: 7, name: HOST, clusterGid: inv.cluster.id, stateDir });
    storageDir = mkdtempSync(path.join(root, '.cache/libvirt-test/merge-'));
    process.env.VIREO_STORAGE_ROOTS = path.join(root, '.cache/libvirt-test');
    const local = { name: 'M-local', dataCenter: inv.dc.id, path: storageDir, storageType: 'LOCALFS' };
    const storage = await mutate(t, 'addStorageDomain', local, 'storageDomain');
    g = await runTinyGuest(t, host, guest, {
      name: VM,
      hostname: 'lmtiny',
      clusterGid: inv.cluster.id,
      storageDomainGid: storage.id,
      diskAlias: 'lm-data',
    });
    vmGid = g.vmGid;
  }, 400_000);

  afterAll(async () => {
    await host?.stop();
    console.log(`live merge timings on the tiny guest's 64 MiB disk (ms): ${JSON.stringify(timings)}`);
    await server?.stop();
    await t?.engine.monitoring.stop();
    await t?.close();
    rmSync(stateDir, { recursive: true, force: true });
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  });

  it('removing the snapshot under the active layer commits and pivots: the guest reads both markers, one volume less', async () => {
    await g.inGuest('echo one > /data/m1 && sync');
    const s1 = await snapshot('first');
    const top = await g.source();
    await g.inGuest('echo two > /data/m2 && sync');
    expect(await g.chain()).toHaveLength(2);
    const [, base] = await g.chain();
    expect(await volumes()).toHaveLength(2);
    const removed = await remove('activeMerge', s1);
    expect(removed.__typename, JSON.stringify(removed)).toBe('MutationRemoveSnapshotSuccess');
    expect(await g.status()).toBe('UP');
    // libvirt pivoted to the base, which holds both; the old top's file is gone.
    expect(await g.source()).toBe(base);
    expect(await g.chain()).toEqual([base]);
    expect(existsSync(top)).toBe(false);
    expect(await volumes()).toHaveLength(1);
    expect(await snapshots()).toEqual([]);
    expect(await g.marks()).toBe('one\ntwo');
    const job = await t.engine.db.job.findFirst({ where: { description: `Removing Snapshot first of VM ${VM}` } });
    expect(job).toMatchObject({ status: 'FINISHED' });
  }, 240_000);

  it('removing a snapshot in the middle commits its volume with --top/--base; the data above survives', async () => {
    const s2 = await snapshot('second');
    await g.inGuest('echo three > /data/m3 && sync');
    const s3 = await snapshot('third');
    await g.inGuest('echo four > /data/m4 && sync');
    const [top, middle, bottom] = await g.chain();
    expect(await volumes()).toHaveLength(3);
    const removed = await remove('middleMerge', s2);
    expect(removed.__typename, JSON.stringify(removed)).toBe('MutationRemoveSnapshotSuccess');
    // The middle volume went down into the bottom one; the top now backs onto it.
    expect(await g.source()).toBe(top);
    expect(await g.chain()).toEqual([top, bottom]);
    expect(existsSync(middle!)).toBe(false);
    expect(await volumes()).toHaveLength(2);
    expect((await snapshots()).map((s) => s.description)).toEqual(['third']);
    expect(await g.marks()).toBe('one\ntwo\nthree\nfour');
    // The snapshot left now owns the merged file: removing it (the active layer over it) leaves one volume.
    const last = await act('removeSnapshot', { vm: vmGid, snapshot: s3 });
    expect(last.__typename, JSON.stringify(last)).toBe('MutationRemoveSnapshotSuccess');
    expect(await g.chain()).toEqual([bottom]);
    expect(await volumes()).toHaveLength(1);
    expect(await g.marks()).toBe('one\ntwo\nthree\nfour');
  }, 240_000);

  it('a block commit libvirt refuses leaves the snapshot and the chain as they were, with an event saying why', async () => {
    const s4 = await snapshot('fourth');
    await g.inGuest('echo five > /data/m5 && sync');
    const before = { chain: await g.chain(), volumes: await volumes() };
    // Another block job on the disk (a pull held at a byte a second): libvirt refuses a second one.
    await g.virsh('blockpull', VM, 'vda', '--bandwidth', '1', '--bytes');
    try {
      const refused = await act('removeSnapshot', { vm: vmGid, snapshot: s4 });
      expect(refused.__typename).toBe('ActionFailedError');
      expect(refused.message).toMatch(/block job/i);
    } finally {
      await g.virsh('blockjob', VM, 'vda', '--abort');
      await vi.waitFor(async () => expect(await g.virsh('blockjob', VM, 'vda', '--info')).toMatch(/No current block job/), {
        timeout: 30_000,
      });
    }
    expect(await g.chain()).toEqual(before.chain);
    expect(await volumes()).toEqual(before.volumes);
    expect((await snapshots()).map((s) => s.description)).toEqual(['fourth']);
    const events = await t.engine.db.auditLog.findMany({ where: { code: 'USER_ACTION_FAILED' }, orderBy: { createdAt: 'desc' } });
    expect(events[0]?.message).toMatch(/remove Snapshot/);
    expect(events[0]?.message).toMatch(/block job/i);
    // Once the other job is gone, the same removal merges.
    expect((await act('removeSnapshot', { vm: vmGid, snapshot: s4 })).__typename).toBe('MutationRemoveSnapshotSuccess');
    expect(await g.chain()).toHaveLength(1);
    expect(await g.marks()).toBe('one\ntwo\nthree\nfour\nfive');
  }, 240_000);
});
