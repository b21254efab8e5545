// Snapshots are real qcow2 volume chains: data written into a stopped VM's disk image with
// qemu-io survives snapshot, restore, preview, undo, commit and the removal of a snapshot in the
// middle of the chain, read back from the image the VM would run on. A real POSIX domain, a
// simulated host whose agent uses the real file storage and qemu-img, everything through the API.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { volumeRef } from '../../server/storage/volumeRef.ts';
import { volumePath } from '../../agent/storage/domainLayout.ts';
import { backingChain, holdsMarker, writeMarker } from '../support/imageData.ts';

const MiB = 1024 ** 2;
let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let host: Awaited<ReturnType<typeof startStorageHost>>;
let root: string;
let domain: { id: string; path: string };
let domainGid: string;
let vm: string;
let disk: string;
const savedRoots = process.env.VIREO_STORAGE_ROOTS;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'vireo-chains-'));
  process.env.VIREO_STORAGE_ROOTS = root;
  t = await startTestEngine();
  inv = await buildInventory(t, 'C');
  host = await startStorageHost(t, inv.cluster.id, 'chain-host');
  mkdirSync(path.join(root, 'data'));
  const sd = await mutate(
    t,
    'addStorageDomain',
    { name: 'C-posix', dataCenter: inv.dc.id, path: path.join(root, 'data'), storageType: 'POSIXFS' },
    'storageDomain',
  );
  domain = { id: decodeGlobalID(sd.id).id, path: path.join(root, 'data') };
  domainGid = sd.id;
  vm = (
    await mutate(
      t,
      'addVm',
      {
        name: 'chained',
        cluster: inv.cluster.id,
        disks: [{ alias: 'chained-a', storageDomain: sd.id, provisionedSizeBytes: GiB, bootable: true }],
      },
      'vm',
    )
  ).id;
  const state = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id } } } } }`, { id: vm });
  disk = decodeGlobalID(state.data.node.diskAttachments[0].disk.id).id;
});
afterAll(async () => {
  await host?.stop();
  await t?.close();
  if (savedRoots === undefined) delete process.env.VIREO_STORAGE_ROOTS;
  else process.env.VIREO_STORAGE_ROOTS = savedRoots;
  rmSync(root, { recursive: true, force: true });
});

/** The disk's top image: what the VM runs on. */
const top = () => volumePath(volumeRef(domain, disk));
const write = (pattern: number, offset: number) => writeMarker(top(), pattern, offset);
/** Whether the 64 KiB at `offset` hold `pattern` (0 for never written), read through the whole chain. */
const holds = (pattern: number, offset: number) => holdsMarker(top(), pattern, offset);
/** Number of images in the top's backing chain. */
const chainLength = () => backingChain(top()).length;

const op = async (name: string, input: Record<string, unknown>, field?: string) => {
  const typeName = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  const res = await t.gql(
    `mutation($i: ${typeName}Input!) { ${name}(input: $i) { __typename ... on Error { code message } ${field ? `... on Mutation${typeName}Success { ${field} { id } }` : ''} } }`,
    { i: input },
  );
  const payload = res.data[name];
  expect(payload.__typename, JSON.stringify(payload)).toBe(`Mutation${typeName}Success`);
  return field ? payload[field].id : null;
};
const snap = (description: string) => op('createSnapshot', { vm, description }, 'snapshot');

describe('snapshots as real qcow2 chains', () => {
  let s1: string;
  let s2: string;
  let s3: string;

  it('a snapshot freezes the data in a new backing volume; restore brings the old data back', async () => {
    write(0xaa, 0);
    s1 = await snap('s1');
    expect(chainLength()).toBe(2);
    expect(holds(0xaa, 0)).toBe(true);
    write(0xbb, 0);
    expect(holds(0xbb, 0)).toBe(true);
    await op('restoreSnapshot', { vm, snapshot: s1 });
    expect(holds(0xaa, 0)).toBe(true);
    expect(holds(0xbb, 0)).toBe(false);
    expect(chainLength()).toBe(2);
  });

  it('removing a snapshot in the middle merges it: the data above survives and the chain is shorter', async () => {
    write(0x11, 1 * MiB);
    s2 = await snap('s2');
    write(0x22, 2 * MiB);
    s3 = await snap('s3');
    write(0x33, 3 * MiB);
    expect(chainLength()).toBe(4);
    await op('removeSnapshot', { vm, snapshot: s2 });
    expect(chainLength()).toBe(3);
    for (const [p, at] of [
      [0xaa, 0],
      [0x11, MiB],
      [0x22, 2 * MiB],
      [0x33, 3 * MiB],
    ] as const)
      expect(holds(p, at), `0x${p.toString(16)} at ${at}`).toBe(true);
    expect(spawnSync('qemu-img', ['check', '-q', top()]).status).toBe(0);
  });

  it('preview runs the VM on the snapshot; undo comes back to what it was', async () => {
    await op('previewSnapshot', { vm, snapshot: s3 });
    expect(holds(0x22, 2 * MiB)).toBe(true);
    expect(holds(0, 3 * MiB)).toBe(true); // written after s3
    write(0x44, 4 * MiB); // written in the preview: dropped by the undo
    await op('undoSnapshot', { vm });
    expect(holds(0x33, 3 * MiB)).toBe(true);
    expect(holds(0, 4 * MiB)).toBe(true);
  });

  it('a committed preview keeps the snapshot state and drops the newer one', async () => {
    await op('previewSnapshot', { vm, snapshot: s1 });
    await op('commitSnapshot', { vm });
    expect(holds(0xaa, 0)).toBe(true);
    expect(holds(0, 1 * MiB)).toBe(true);
    expect(holds(0, 3 * MiB)).toBe(true);
    expect(chainLength()).toBe(2);
    // No file of a dropped volume is left in the disk's folder: the top and s1's volume.
    const files = execFileSync('ls', [path.dirname(top())], { encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(files).toHaveLength(2);
  });

  it('holds a chain of 20 snapshots, the data of each readable, and merges them all away', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 20; i++) {
      write(i, (8 + i) * MiB);
      ids.push(await snap(`deep${i}`));
    }
    expect(chainLength()).toBe(22);
    for (let i = 1; i <= 20; i++) expect(holds(i, (8 + i) * MiB)).toBe(true);
    for (const id of ids) await op('removeSnapshot', { vm, snapshot: id });
    expect(chainLength()).toBe(2);
    for (let i = 1; i <= 20; i++) expect(holds(i, (8 + i) * MiB)).toBe(true);
    expect(holds(0xaa, 0)).toBe(true);
  });
});

describe('a snapshot of several disks whose merge fails on one', () => {
  it('keeps what merged, leaves the rest with the snapshot, and merges it when removed again', async () => {
    const pair = (
      await mutate(
        t,
        'addVm',
        {
          name: 'paired',
          cluster: inv.cluster.id,
          disks: ['paired-a', 'paired-b'].map((alias, i) => ({
            alias,
            storageDomain: domainGid,
            provisionedSizeBytes: GiB,
            bootable: i === 0,
          })),
        },
        'vm',
      )
    ).id;
    const state = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id alias } } } } }`, { id: pair });
    const tops = Object.fromEntries(
      state.data.node.diskAttachments.map((a: { disk: { id: string; alias: string } }) => [
        a.disk.alias,
        volumePath(volumeRef(domain, decodeGlobalID(a.disk.id).id)),
      ]),
    ) as Record<'paired-a' | 'paired-b', string>;
    for (const top of Object.values(tops)) writeMarker(top, 0x51, 0);
    const snapshot = await op('createSnapshot', { vm: pair, description: 'both' }, 'snapshot');
    for (const top of Object.values(tops)) writeMarker(top, 0x52, MiB);
    // The second disk's snapshot volume cannot be written (immutable, even for root): its merge fails.
    const stuck = backingChain(tops['paired-b'])[1]!;
    execFileSync('chattr', ['+i', stuck]);
    try {
      const refused = await t.gql(
        `mutation($i: RemoveSnapshotInput!) { removeSnapshot(input: $i) { __typename ... on Error { message } } }`,
        {
          i: { vm: pair, snapshot },
        },
      );
      expect(refused.data.removeSnapshot.__typename).toBe('ActionFailedError');
      expect(refused.data.removeSnapshot.message).toMatch(/commit/);
    } finally {
      execFileSync('chattr', ['-i', stuck]);
    }
    // The first disk merged and says so; the second is as it was, the snapshot still there.
    expect(backingChain(tops['paired-a'])).toHaveLength(1);
    expect(backingChain(tops['paired-b'])).toHaveLength(2);
    for (const top of Object.values(tops)) expect(holdsMarker(top, 0x51, 0) && holdsMarker(top, 0x52, MiB)).toBe(true);
    const left = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Vm { snapshots { description } diskAttachments { disk { alias parent { id } } } } } }`,
      { id: pair },
    );
    expect(left.data.node.snapshots.map((s: { description: string }) => s.description)).toContain('both');
    // The engine knows the chains as they are on disk: the first disk has no volume under its top any more.
    const parents = Object.fromEntries(
      left.data.node.diskAttachments.map((x: { disk: { alias: string; parent: unknown } }) => [x.disk.alias, x.disk.parent !== null]),
    );
    expect(parents).toEqual({ 'paired-a': false, 'paired-b': true });

    await op('removeSnapshot', { vm: pair, snapshot });
    expect(backingChain(tops['paired-b'])).toHaveLength(1);
    for (const top of Object.values(tops)) expect(holdsMarker(top, 0x51, 0) && holdsMarker(top, 0x52, MiB)).toBe(true);
    const after = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { snapshots { description } } } }`, { id: pair });
    expect(after.data.node.snapshots.map((s: { description: string }) => s.description)).not.toContain('both');
  });
});
