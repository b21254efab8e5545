// The sweep of images no disk owns, run as an engine runs it after a start: an image the host holds
// for no disk is removed, but a copy of a running VM's disk on another domain (what an engine
// stopped during a live move leaves, the VM perhaps running from it) is kept, with a warning.
// Real POSIX domains, a simulated host whose agent lists and removes the real files.
import { mkdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { GiB, mutate } from '../support/inventory.ts';
import { startPosixStorage, type PosixDomain, type PosixStorage } from '../support/posixStorage.ts';
import { runVmUp } from '../support/vmPower.ts';
import { sweepOrphanImages } from '../../server/storage/orphanImages.ts';

let storage: PosixStorage;
let a: PosixDomain;
let b: PosixDomain;

beforeAll(async () => {
  storage = await startPosixStorage('O', 'orphan-host');
  a = await storage.addDomain('O-posix-a');
  b = await storage.addDomain('O-posix-b');
});
afterAll(() => storage?.close());

/** An image folder on domain `on` for disk `diskId`, last written an hour ago (as the host left it). */
function leftImage(on: PosixDomain, diskId: string): string {
  const folder = path.join(on.path, on.id, 'images', diskId);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, crypto.randomUUID());
  writeFileSync(file, 'left behind');
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(file, hourAgo, hourAgo);
  utimesSync(folder, hourAgo, hourAgo);
  return folder;
}

describe('orphaned images after an engine start', () => {
  it('removes an image no disk owns, and keeps a running VM disk copy on another domain', async () => {
    const { t } = storage;
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'moving',
        cluster: storage.inv.cluster.id,
        disks: [{ alias: 'moving-os', storageDomain: a.gid, provisionedSizeBytes: GiB, bootable: true }],
      },
      'vm',
    );
    const state = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id } } } } }`, { id: vm.id });
    const diskId = decodeGlobalID(state.data.node.diskAttachments[0].disk.id).id;
    await runVmUp(t, vm.id);
    const copy = leftImage(b, diskId);
    const orphan = leftImage(b, crypto.randomUUID());

    const sweep = sweepOrphanImages(t.engine, { startedAt: Date.now(), waitMs: 30_000, intervalMs: 200 });
    expect((await sweep.done).removed).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(copy)).toBe(true);
    const events = await t.gql(`{ events(first: 20, filter: { code: "IMAGE_ORPHAN_KEPT" }) { edges { node { severity message } } } }`);
    expect(events.data.events.edges).toEqual([
      { node: { severity: 'WARNING', message: expect.stringMatching(/disk moving-os on Storage Domain O-posix-b.*VM moving runs/) } },
    ]);
  });
});
