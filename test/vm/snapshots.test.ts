import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { runVmUp, stopVmDown } from '../support/vmPower.ts';

const MiB = 1024 ** 2;
let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
// The data center's host does the image work of every disk.
beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'S');
  storageHost = await startStorageHost(t, inv.cluster.id, 'storage-host', { bootMs: 300, shutdownMs: 300 });
});
afterAll(async () => {
  await storageHost.stop();
  await t.close();
});

const used = async () => Number((await t.engine.db.storageDomain.findUniqueOrThrow({ where: { name: 'S-data' } })).usedBytes);
const local = (gid: string) => decodeGlobalID(gid).id;

/** A Down VM with a thin 10 GiB disk (1 MiB used) and a preallocated RAW 2 GiB disk. */
async function vmWithDisks(name: string, storageDomain: string = inv.storage.id) {
  const vm = await mutate(
    t,
    'addVm',
    {
      name,
      cluster: inv.cluster.id,
      disks: [
        { alias: `${name}-a`, storageDomain, provisionedSizeBytes: 10 * GiB, bootable: true },
        { alias: `${name}-b`, storageDomain, provisionedSizeBytes: 2 * GiB, format: 'RAW', sparse: false },
      ],
    },
    'vm',
  );
  return vm.id as string;
}

const SNAP = `mutation($i: CreateSnapshotInput!) { createSnapshot(input: $i) { __typename
  ... on MutationCreateSnapshotSuccess { snapshot { id description type status withMemory } } ... on Error { code message } } }`;
const snap = async (vm: string, description: string, withMemory = false) =>
  (await t.gql(SNAP, { i: { vm, description, withMemory } })).data.createSnapshot;
const op = async (name: string, input: Record<string, unknown>) => {
  const typeName = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  return (
    await t.gql(
      `mutation($i: ${typeName}Input!) { ${name}(input: $i) { __typename ... on Error { code message } ... on Mutation${typeName}Success { __typename } } }`,
      { i: input },
    )
  ).data[name];
};

const STATE = `query($id: ID!) { node(id: $id) { ... on Vm {
  snapshots { id description type withMemory parent { description } children { type description } disks { id alias actualSizeBytes format } }
  diskAttachments { disk { id alias format sparse actualSizeBytes chainActualSizeBytes parent { id actualSizeBytes format sparse parent { id } } } } } } }`;
const state = async (vm: string) => {
  const node = (await t.gql(STATE, { id: vm })).data.node;
  node.diskAttachments.sort((a: { disk: { alias: string } }, b: { disk: { alias: string } }) => a.disk.alias.localeCompare(b.disk.alias));
  return node;
};

describe('snapshots of a Down VM', () => {
  let vm: string;
  let s1: string;
  let s2: string;
  let base: number;

  it('adds a COW overlay on top of each disk; the old data freezes in the snapshot volume', async () => {
    vm = await vmWithDisks('snappy');
    base = await used();
    const before = await state(vm);
    const created = await snap(vm, 'before-upgrade');
    expect(created).toMatchObject({
      __typename: 'MutationCreateSnapshotSuccess',
      snapshot: { description: 'before-upgrade', type: 'REGULAR', status: 'OK', withMemory: false },
    });
    s1 = created.snapshot.id;
    const after = await state(vm);
    // The disks keep their ids: each is now a fresh thin overlay over the snapshot's volume.
    expect(after.diskAttachments.map((a: { disk: { id: string } }) => a.disk.id)).toEqual(
      before.diskAttachments.map((a: { disk: { id: string } }) => a.disk.id),
    );
    expect(after.diskAttachments.map((a: { disk: object }) => a.disk)).toMatchObject([
      {
        alias: 'snappy-a',
        format: 'COW',
        sparse: true,
        actualSizeBytes: MiB,
        chainActualSizeBytes: 2 * MiB,
        parent: { actualSizeBytes: MiB, format: 'COW', sparse: true, parent: null },
      },
      {
        alias: 'snappy-b',
        format: 'COW',
        sparse: true,
        actualSizeBytes: MiB,
        chainActualSizeBytes: 2 * GiB + MiB,
        parent: { actualSizeBytes: 2 * GiB, format: 'RAW', sparse: false, parent: null },
      },
    ]);
    expect(await used()).toBe(base + 2 * MiB);
    const s = after.snapshots.find((x: { id: string }) => x.id === s1);
    expect(s.disks.map((d: { id: string }) => d.id).sort()).toEqual(
      after.diskAttachments.map((a: { disk: { parent: { id: string } } }) => a.disk.parent.id).sort(),
    );
    const active = after.snapshots.find((x: { type: string }) => x.type === 'ACTIVE');
    expect(active.parent).toEqual({ description: 'before-upgrade' });
    const event = await t.engine.db.auditLog.findFirst({ where: { code: 'USER_CREATE_SNAPSHOT', vmId: local(vm) } });
    expect(event?.message).toBe('Snapshot before-upgrade was created for VM snappy by admin@internal.');
    const job = await t.engine.db.job.findFirst({ where: { actionType: 'CreateSnapshot' }, include: { steps: true } });
    expect(job).toMatchObject({ status: 'FINISHED', description: 'Creating VM Snapshot before-upgrade for VM snappy' });
    expect(job!.steps).toHaveLength(2);
  });

  it('grows a tree: a second snapshot sits on the first, the active state on top', async () => {
    s2 = (await snap(vm, 'after-upgrade')).snapshot.id;
    const st = await state(vm);
    const byDesc = (d: string) => st.snapshots.find((x: { description: string }) => x.description === d);
    expect(byDesc('after-upgrade').parent).toEqual({ description: 'before-upgrade' });
    expect(byDesc('before-upgrade').children).toEqual([{ type: 'REGULAR', description: 'after-upgrade' }]);
    expect(byDesc('after-upgrade').children).toEqual([{ type: 'ACTIVE', description: 'Active VM' }]);
    expect(st.diskAttachments[0].disk.parent.parent.id).toBe(byDesc('before-upgrade').disks[0].id);
    expect(await used()).toBe(base + 4 * MiB);
  });

  it('previews an older snapshot and undoes the preview', async () => {
    const before = await state(vm);
    expect(await op('previewSnapshot', { vm, snapshot: s1 })).toEqual({ __typename: 'MutationPreviewSnapshotSuccess' });
    const during = await state(vm);
    const s1Volumes = during.snapshots.find((x: { id: string }) => x.id === s1).disks.map((d: { id: string }) => d.id);
    expect(during.diskAttachments.map((a: { disk: { parent: { id: string } } }) => a.disk.parent.id).sort()).toEqual(s1Volumes.sort());
    expect(during.snapshots.map((x: { type: string }) => x.type).sort()).toEqual(['ACTIVE', 'PREVIEW', 'REGULAR', 'REGULAR']);
    expect(await used()).toBe(base + 6 * MiB);
    // Nothing else happens to a VM in preview.
    expect(await snap(vm, 'during-preview')).toMatchObject({ code: 'VM_IN_PREVIEW' });
    expect(await op('undoSnapshot', { vm })).toEqual({ __typename: 'MutationUndoSnapshotSuccess' });
    expect(await state(vm)).toEqual(before);
    expect(await used()).toBe(base + 4 * MiB);
    expect(await op('undoSnapshot', { vm })).toMatchObject({ code: 'VM_NOT_IN_PREVIEW' });
  });

  it('commits a preview: the newer snapshot and the state before the preview are dropped', async () => {
    await op('previewSnapshot', { vm, snapshot: s1 });
    expect(await op('commitSnapshot', { vm })).toEqual({ __typename: 'MutationCommitSnapshotSuccess' });
    const st = await state(vm);
    expect(st.snapshots.map((x: { description: string }) => x.description).sort()).toEqual(['Active VM', 'before-upgrade']);
    expect(await t.engine.db.disk.count({ where: { alias: { startsWith: 'snappy-' } } })).toBe(4);
    expect(await used()).toBe(base + 4 * MiB - 2 * MiB);
    expect(await t.engine.db.auditLog.count({ where: { code: 'USER_COMMIT_RESTORE_FROM_SNAPSHOT', vmId: local(vm) } })).toBe(1);
    void s2;
  });

  it('restores a snapshot in one step', async () => {
    const s3 = (await snap(vm, 'later')).snapshot.id;
    expect(await op('restoreSnapshot', { vm, snapshot: s1 })).toEqual({ __typename: 'MutationRestoreSnapshotSuccess' });
    const st = await state(vm);
    expect(st.snapshots.map((x: { id: string }) => x.id)).not.toContain(s3);
    expect(st.snapshots).toHaveLength(2);
    expect(await t.engine.db.disk.count({ where: { alias: { startsWith: 'snappy-' } } })).toBe(4);
  });

  it('removes a snapshot by merging its volumes into the disks; a preallocated base stays RAW', async () => {
    const before = await used();
    expect(await op('removeSnapshot', { vm, snapshot: s1 })).toEqual({ __typename: 'MutationRemoveSnapshotSuccess' });
    const st = await state(vm);
    expect(st.snapshots.map((x: { type: string }) => x.type)).toEqual(['ACTIVE']);
    expect(st.diskAttachments.map((a: { disk: object }) => a.disk)).toMatchObject([
      { alias: 'snappy-a', format: 'COW', sparse: true, actualSizeBytes: 2 * MiB, chainActualSizeBytes: 2 * MiB, parent: null },
      { alias: 'snappy-b', format: 'RAW', sparse: false, actualSizeBytes: 2 * GiB, chainActualSizeBytes: 2 * GiB, parent: null },
    ]);
    // The thin disk's data moved, the preallocated overlay's MiB went into space already allocated.
    expect(await used()).toBe(before - MiB);
    expect(await t.engine.db.auditLog.count({ where: { code: 'USER_REMOVE_SNAPSHOT', vmId: local(vm) } })).toBe(1);
  });
});

describe('removing a VM with snapshots', () => {
  it('removes every volume of its chains and gives all their space back', async () => {
    const start = await used();
    const vm = await vmWithDisks('gone');
    await snap(vm, 'one');
    await snap(vm, 'two');
    expect(await used()).toBeGreaterThan(start);
    expect(await op('removeVm', { id: vm })).toEqual({ __typename: 'MutationRemoveVmSuccess' });
    expect(await used()).toBe(start);
    expect(await t.engine.db.disk.count({ where: { alias: { startsWith: 'gone-' } } })).toBe(0);
  });
});

describe('refusals', () => {
  it('refuses a snapshot when the storage domain has no room for the overlays', async () => {
    // A domain with room for the VM's disks (2 GiB + 1 MiB) and 1 MiB more: the two overlays need 2 MiB.
    const tight = await mutate(
      t,
      'addStorageDomain',
      { name: 'S-tight', dataCenter: inv.dc.id, path: 'nfs:/tight', capacityBytes: 2 * GiB + 2 * MiB },
      'storageDomain',
    );
    const vm = await vmWithDisks('full', tight.id);
    expect(await snap(vm, 'x')).toMatchObject({ code: 'STORAGE_DOMAIN_LOW_SPACE' });
    expect(await t.engine.db.snapshot.count({ where: { vmId: local(vm) } })).toBe(0);
  });

  it('refuses preview and restore of a running VM, and snapshots of another VM', async () => {
    const vm = await vmWithDisks('other');
    const s = (await snap(vm, 'one')).snapshot.id;
    const stranger = await vmWithDisks('stranger');
    expect(await op('previewSnapshot', { vm: stranger, snapshot: s })).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    await runVmUp(t, vm);
    for (const name of ['previewSnapshot', 'restoreSnapshot'])
      expect(await op(name, { vm, snapshot: s })).toMatchObject({ code: 'VM_IS_RUNNING' });
    await stopVmDown(t, vm);
  });

  it('gives one of two snapshots at once the lock and the other a LOCKED error', async () => {
    const vm = await vmWithDisks('racer');
    const [a, b] = await Promise.all([snap(vm, 'first'), snap(vm, 'second')]);
    expect([a.__typename, b.__typename].sort()).toEqual(['LockedError', 'MutationCreateSnapshotSuccess']);
    expect(await t.engine.db.snapshot.count({ where: { vmId: local(vm), type: 'REGULAR' } })).toBe(1);
  });
});

describe('snapshots of a running VM', () => {
  // The VMs run on the storage host's simulated hypervisor; what it is asked to snapshot is watched.
  const asked = () => vi.spyOn(storageHost.driver, 'snapshot');
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('asks the host agent and records the memory', async () => {
    const vm = await vmWithDisks('live');
    await runVmUp(t, vm, storageHost.id);
    const v = await t.engine.db.vm.findUniqueOrThrow({ where: { id: local(vm) } });
    const snapshots = asked();
    const before = await used();
    const res = await snap(vm, 'live-one', true);
    expect(res).toMatchObject({ __typename: 'MutationCreateSnapshotSuccess', snapshot: { withMemory: true, status: 'OK' } });
    // Its host kept each disk's file as the snapshot's volume and made a qcow2 overlay on it, for the domain to go on over.
    expect(snapshots).toHaveBeenCalledWith(v.id, 'live-one', { disks: expect.any(Array), memory: expect.any(String) });
    const { disks } = snapshots.mock.calls[0]![2];
    expect(disks).toHaveLength(2);
    for (const { overlay: file } of disks) {
      const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' }));
      expect(info).toMatchObject({ format: 'qcow2', 'backing-filename': expect.any(String) });
      expect(existsSync(path.join(path.dirname(file), info['backing-filename']))).toBe(true);
    }
    const job = await t.engine.db.job.findFirst({
      where: { description: { contains: 'live-one' } },
      include: { steps: { orderBy: { number: 'asc' } } },
    });
    expect(job!.steps.map((s) => s.description)).toContain('Snapshotting the running VM with its memory on its host');
    // The memory dump is a preallocated volume of the VM's memory size, beside its first disk.
    const memory = (
      await t.gql(`query($id: ID!) { node(id: $id) { ... on Snapshot { memoryDisk { id alias format sparse actualSizeBytes } } } }`, {
        id: res.snapshot.id,
      })
    ).data.node.memoryDisk;
    expect(memory).toMatchObject({ alias: 'live_Memory_Dump', format: 'RAW', sparse: false, actualSizeBytes: v.memoryMb * MiB });
    expect(await used()).toBe(before + 2 * MiB + v.memoryMb * MiB);
    expect(
      (await t.gql(`mutation($i: RemoveDiskInput!) { removeDisk(input: $i) { ... on Error { code } } }`, { i: { id: memory.id } })).data
        .removeDisk,
    ).toEqual({ code: 'DISK_IS_MEMORY_DUMP' });
    // Removing the snapshot (the VM Down again) frees the memory with the merged volumes' metadata.
    await stopVmDown(t, vm);
    expect(await op('removeSnapshot', { vm, snapshot: res.snapshot.id })).toEqual({ __typename: 'MutationRemoveSnapshotSuccess' });
    expect(await used()).toBe(before + MiB);
  });

  it('previews a memory snapshot with its memory: the next run resumes from the memory volume, once', async () => {
    const vm = await vmWithDisks('resume');
    await runVmUp(t, vm, storageHost.id);
    const withMemory = await snap(vm, 'resume-mem', true);
    await stopVmDown(t, vm);
    const cold = await snap(vm, 'resume-cold');
    // A snapshot taken without memory has none to restore.
    expect(await op('previewSnapshot', { vm, snapshot: cold.snapshot.id, restoreMemory: true })).toMatchObject({
      code: 'SNAPSHOT_HAS_NO_MEMORY',
    });
    expect(await op('previewSnapshot', { vm, snapshot: withMemory.snapshot.id, restoreMemory: true })).toEqual({
      __typename: 'MutationPreviewSnapshotSuccess',
    });
    const memory = (
      await t.gql(`query($id: ID!) { node(id: $id) { ... on Snapshot { memoryDisk { id } } } }`, { id: withMemory.snapshot.id })
    ).data.node.memoryDisk;
    // The disks list shows each disk once: not the tops the preview set aside, nor as floating disks.
    const listed = async (floating: boolean) =>
      (
        await t.gql(`query($f: DiskFilter) { disks(first: 20, filter: $f) { edges { node { alias } } } }`, {
          f: { aliasContains: 'resume-', ...(floating ? { floating: true } : {}) },
        })
      ).data.disks.edges
        .map((e: { node: { alias: string } }) => e.node.alias)
        .sort();
    expect(await listed(false)).toEqual(['resume-a', 'resume-b']);
    expect(await listed(true)).toEqual([]);
    const starts = vi.spyOn(storageHost.driver, 'start');
    await runVmUp(t, vm, storageHost.id);
    // The host is told to resume from the memory volume's file, in the snapshot's image folder.
    const resumed = starts.mock.calls[0]![0].memoryState;
    expect(resumed?.volume.diskId).toBe(local(memory.id).split(':').pop());
    expect(resumed?.path).toMatch(/\/images\//);
    // Used once: the next run boots.
    await stopVmDown(t, vm);
    await runVmUp(t, vm, storageHost.id);
    expect(starts.mock.calls[1]![0].memoryState).toBeUndefined();
    await stopVmDown(t, vm);
    // Undoing a preview with memory forgets the memory too.
    expect(await op('undoSnapshot', { vm })).toEqual({ __typename: 'MutationUndoSnapshotSuccess' });
    expect(await op('previewSnapshot', { vm, snapshot: withMemory.snapshot.id, restoreMemory: true })).toEqual({
      __typename: 'MutationPreviewSnapshotSuccess',
    });
    expect(await op('undoSnapshot', { vm })).toEqual({ __typename: 'MutationUndoSnapshotSuccess' });
    await runVmUp(t, vm, storageHost.id);
    expect(starts.mock.calls[2]![0].memoryState).toBeUndefined();
    await stopVmDown(t, vm);
    // Committed, the memory waits for the next run; restoring another snapshot first forgets it.
    expect(await op('previewSnapshot', { vm, snapshot: withMemory.snapshot.id, restoreMemory: true })).toEqual({
      __typename: 'MutationPreviewSnapshotSuccess',
    });
    expect(await op('commitSnapshot', { vm })).toEqual({ __typename: 'MutationCommitSnapshotSuccess' });
    const resumes = async () =>
      (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { resumesFromMemory } } }`, { id: vm })).data.node;
    expect(await resumes()).toEqual({ resumesFromMemory: true });
    const later = await snap(vm, 'resume-later');
    expect(await op('restoreSnapshot', { vm, snapshot: later.snapshot.id })).toEqual({ __typename: 'MutationRestoreSnapshotSuccess' });
    expect(await resumes()).toEqual({ resumesFromMemory: false });
    await runVmUp(t, vm, storageHost.id);
    expect(starts.mock.calls[3]![0].memoryState).toBeUndefined();
    starts.mockRestore();
    await stopVmDown(t, vm);
  });

  it('rolls everything back when the host agent fails', async () => {
    const vm = await vmWithDisks('ghost');
    await runVmUp(t, vm, storageHost.id);
    asked().mockRejectedValueOnce(new Error('the domain could not pivot to the new overlays'));
    const before = await used();
    const res = await snap(vm, 'nope', true);
    expect(res.__typename).toBe('ActionFailedError');
    expect(res.message).toMatch(/host \S+: .*the domain could not pivot to the new overlays/);
    expect(await t.engine.db.snapshot.count({ where: { vmId: local(vm) } })).toBe(0);
    expect(await used()).toBe(before);
    expect((await state(vm)).diskAttachments.every((a: { disk: { parent: unknown } }) => a.disk.parent === null)).toBe(true);
  });

  it('removes a snapshot of the running VM by a live merge on its host, as a Job', async () => {
    const vm = await vmWithDisks('merger');
    await runVmUp(t, vm, storageHost.id);
    const s = (await snap(vm, 'to-merge')).snapshot.id;
    const commits = vi.spyOn(storageHost.driver, 'blockCommit');
    const before = await state(vm);
    const files = before.diskAttachments.map((a: { disk: { id: string } }) => a.disk.id);
    const check = await t.gql(`query($i: RemoveSnapshotInput!) { canRemoveSnapshot(input: $i) { allowed reasons { code } } }`, {
      i: { vm, snapshot: s },
    });
    expect(check.data.canRemoveSnapshot).toEqual({ allowed: true, reasons: [] });
    expect(await op('removeSnapshot', { vm, snapshot: s })).toEqual({ __typename: 'MutationRemoveSnapshotSuccess' });
    // Each disk's active top went down into the snapshot's volume: the domain runs on that file now.
    expect(commits).toHaveBeenCalledTimes(2);
    for (const [vmId, merge] of commits.mock.calls) {
      expect(vmId).toBe(local(vm));
      expect(merge.active).toBe(true);
      expect(existsSync(merge.top)).toBe(false);
      const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', merge.base], { encoding: 'utf8' }));
      expect(info['backing-filename']).toBeUndefined();
    }
    const after = await state(vm);
    expect(after.snapshots.map((x: { type: string }) => x.type)).toEqual(['ACTIVE']);
    expect(after.diskAttachments.map((a: { disk: { id: string; parent: unknown } }) => [a.disk.id, a.disk.parent])).toEqual(
      files.map((id: string) => [id, null]),
    );
    const job = await t.engine.db.job.findFirst({ where: { description: 'Removing Snapshot to-merge of VM merger' } });
    expect(job).toMatchObject({ status: 'FINISHED' });
    // The VM started again runs on the merged files: a new snapshot (Down) keeps them under its volumes.
    await stopVmDown(t, vm);
    expect((await snap(vm, 'after-merge')).snapshot).toMatchObject({ status: 'OK' });
  });

  it('keeps the snapshot and its chain when the live merge fails, and says why', async () => {
    const vm = await vmWithDisks('stuck');
    await runVmUp(t, vm, storageHost.id);
    const s = (await snap(vm, 'kept')).snapshot.id;
    const before = await state(vm);
    vi.spyOn(storageHost.driver, 'blockCommit').mockRejectedValueOnce(new Error('disk vda already in active block job'));
    const res = await op('removeSnapshot', { vm, snapshot: s });
    expect(res).toMatchObject({ __typename: 'ActionFailedError', message: expect.stringMatching(/already in active block job/) });
    expect(await state(vm)).toEqual(before);
    const event = await t.engine.db.auditLog.findFirst({ where: { vmId: local(vm) }, orderBy: { createdAt: 'desc' } });
    expect(event!.message).toMatch(/remove Snapshot.*already in active block job/);
    await stopVmDown(t, vm);
  });

  it('ignores withMemory for a Down VM and does not ask any host', async () => {
    const vm = await vmWithDisks('cold');
    const snapshots = asked();
    snapshots.mockClear();
    expect(await snap(vm, 'cold-one', true)).toMatchObject({ snapshot: { withMemory: false } });
    expect(snapshots).not.toHaveBeenCalled();
  });
});
