import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { startStorageHost } from '../support/simulatedHosts.ts';
import { runVmUp, stopVmDown } from '../support/vmPower.ts';
import { volumeRef } from '../../server/storage/volumeRef.ts';
import { volumePath } from '../../agent/storage/domainLayout.ts';

const MiB = 1024 ** 2;
let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let storageHost: Awaited<ReturnType<typeof startStorageHost>>;
// The data center's host does the image work of every disk.
beforeAll(async () => {
  t = await startTestEngine();
  inv = await buildInventory(t, 'D');
  storageHost = await startStorageHost(t, inv.cluster.id, 'storage-host', { bootMs: 300, shutdownMs: 300 });
});
afterAll(async () => {
  await storageHost.stop();
  await t.close();
});

const used = async () => Number((await t.engine.db.storageDomain.findUniqueOrThrow({ where: { name: 'D-data' } })).usedBytes);
const local = (gid: string) => decodeGlobalID(gid).id;
const call = async (name: string, input: Record<string, unknown>) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  return (await t.gql(`mutation($i: ${type}Input!) { ${name}(input: $i) { __typename ... on Error { code message } } }`, { i: input }))
    .data[name];
};
const DISK = `query($id: ID!) { node(id: $id) { ... on Disk { alias format sparse provisionedSizeBytes actualSizeBytes attachments { bootable vm { name } } } } }`;
const disk = async (id: string) => (await t.gql(DISK, { id })).data.node;

describe('disks', () => {
  let vm: string;
  let thin: string;
  let prealloc: string;

  it('adds a thin disk to a VM and a preallocated floating one, taking their space', async () => {
    vm = (await mutate(t, 'addVm', { name: 'diskful', cluster: inv.cluster.id }, 'vm')).id;
    const before = await used();
    thin = (
      await mutate(
        t,
        'addDisk',
        { vm, alias: 'data1', storageDomain: inv.storage.id, provisionedSizeBytes: 50 * GiB, bootable: true },
        'disk',
      )
    ).id;
    prealloc = (
      await mutate(
        t,
        'addDisk',
        { alias: 'db1', storageDomain: inv.storage.id, provisionedSizeBytes: 4 * GiB, format: 'RAW', sparse: false },
        'disk',
      )
    ).id;
    expect(await disk(thin)).toEqual({
      alias: 'data1',
      format: 'COW',
      sparse: true,
      provisionedSizeBytes: 50 * GiB,
      actualSizeBytes: MiB,
      attachments: [{ bootable: true, vm: { name: 'diskful' } }],
    });
    expect(await disk(prealloc)).toMatchObject({ format: 'RAW', sparse: false, actualSizeBytes: 4 * GiB, attachments: [] });
    expect(await used()).toBe(before + MiB + 4 * GiB);
    expect(await t.engine.db.auditLog.count({ where: { code: 'USER_ADD_DISK' } })).toBe(2);
  });

  it('refuses a disk the storage domain has no room for', async () => {
    const free = 100 * GiB - (await used());
    const res = await call('addDisk', {
      alias: 'huge',
      storageDomain: inv.storage.id,
      provisionedSizeBytes: free + GiB,
      format: 'RAW',
      sparse: false,
    });
    expect(res).toMatchObject({ __typename: 'ValidationError', code: 'STORAGE_DOMAIN_LOW_SPACE' });
    // Thin, the same size fits: it takes only its metadata now.
    expect(await call('addDisk', { alias: 'huge', storageDomain: inv.storage.id, provisionedSizeBytes: free + GiB })).toMatchObject({
      __typename: 'MutationAddDiskSuccess',
    });
  });

  it('grows disks; a preallocated one takes the new space at once', async () => {
    const before = await used();
    expect(await call('resizeDisk', { id: thin, provisionedSizeBytes: 60 * GiB })).toEqual({ __typename: 'MutationResizeDiskSuccess' });
    expect(await disk(thin)).toMatchObject({ provisionedSizeBytes: 60 * GiB, actualSizeBytes: MiB });
    expect(await used()).toBe(before);
    await mutate(t, 'resizeDisk', { id: prealloc, provisionedSizeBytes: 6 * GiB }, 'disk');
    expect(await disk(prealloc)).toMatchObject({ provisionedSizeBytes: 6 * GiB, actualSizeBytes: 6 * GiB });
    expect(await used()).toBe(before + 2 * GiB);
    expect(
      (await t.engine.db.auditLog.findFirst({ where: { code: 'USER_EXTEND_DISK_SIZE_SUCCESS' }, orderBy: { createdAt: 'desc' } }))?.message,
    ).toBe(`Disk db1 was extended to ${6 * GiB} bytes by admin@internal.`);
  });

  it('refuses to shrink a disk, or to grow a preallocated one past the free space', async () => {
    expect(await call('resizeDisk', { id: thin, provisionedSizeBytes: 10 * GiB })).toMatchObject({
      __typename: 'ValidationError',
      code: 'DISK_SHRINK_NOT_SUPPORTED',
    });
    expect(await call('resizeDisk', { id: thin, provisionedSizeBytes: 60 * GiB })).toMatchObject({ code: 'DISK_SIZE_UNCHANGED' });
    expect(await call('resizeDisk', { id: prealloc, provisionedSizeBytes: 200 * GiB })).toMatchObject({ code: 'STORAGE_DOMAIN_LOW_SPACE' });
    expect(await disk(thin)).toMatchObject({ provisionedSizeBytes: 60 * GiB });
  });

  it('attaches a floating disk and detaches it again', async () => {
    expect(await call('attachDisk', { disk: prealloc, vm, bootable: true })).toMatchObject({ code: 'VM_HAS_BOOTABLE_DISK' });
    expect(await call('attachDisk', { disk: prealloc, vm, interface: 'VIRTIO' })).toEqual({ __typename: 'MutationAttachDiskSuccess' });
    expect((await disk(prealloc)).attachments).toEqual([{ bootable: false, vm: { name: 'diskful' } }]);
    expect(await call('attachDisk', { disk: prealloc, vm })).toMatchObject({ code: 'DISK_ALREADY_ATTACHED' });
    const other = (await mutate(t, 'addVm', { name: 'other', cluster: inv.cluster.id }, 'vm')).id;
    expect(await call('attachDisk', { disk: prealloc, vm: other })).toMatchObject({ code: 'DISK_ATTACHED_TO_OTHER_VM' });
    await runVmUp(t, vm);
    expect(await call('detachDisk', { disk: prealloc, vm })).toMatchObject({ code: 'VM_IS_RUNNING' });
    await stopVmDown(t, vm);
    expect(await call('detachDisk', { disk: prealloc, vm })).toEqual({ __typename: 'MutationDetachDiskSuccess' });
    expect((await disk(prealloc)).attachments).toEqual([]);
    expect(
      await t.engine.db.auditLog.count({
        where: { code: { in: ['USER_ATTACH_DISK_TO_VM', 'USER_DETACH_DISK_FROM_VM'] }, vmId: local(vm) },
      }),
    ).toBe(2);
  });

  it('refuses to detach a disk with snapshot volumes, or to touch a snapshot volume', async () => {
    await mutate(t, 'createSnapshot', { vm, description: 'keep' }, 'snapshot');
    expect(await call('detachDisk', { disk: thin, vm })).toMatchObject({ code: 'DISK_HAS_SNAPSHOTS' });
    const volume = (await t.engine.db.disk.findUniqueOrThrow({ where: { id: local(thin) } })).parentId!;
    const volumeGid = Buffer.from(`Disk:${volume}`).toString('base64');
    expect(await call('resizeDisk', { id: volumeGid, provisionedSizeBytes: 100 * GiB })).toMatchObject({ code: 'DISK_IS_SNAPSHOT_VOLUME' });
    expect(await call('removeDisk', { id: volumeGid })).toMatchObject({ code: 'DISK_IS_SNAPSHOT_VOLUME' });
  });

  it('removes disks with their snapshot volumes, giving the space back', async () => {
    const before = await used();
    await runVmUp(t, vm);
    expect(await call('removeDisk', { id: thin })).toMatchObject({ code: 'VM_IS_RUNNING' });
    await stopVmDown(t, vm);
    await mutate(t, 'removeDisk', { id: thin }, 'removed');
    await mutate(t, 'removeDisk', { id: prealloc }, 'removed');
    // data1: its 1 MiB snapshot volume and 1 MiB overlay; db1: 6 GiB.
    expect(await used()).toBe(before - 2 * MiB - 6 * GiB);
    expect(await t.engine.db.disk.count({ where: { alias: { in: ['data1', 'db1'] } } })).toBe(0);
  });

  it('gives one of two resizes of a disk at once the lock and the other a LOCKED error', async () => {
    const d = (await mutate(t, 'addDisk', { alias: 'race', storageDomain: inv.storage.id, provisionedSizeBytes: GiB }, 'disk')).id;
    const [a, b] = await Promise.all([
      call('resizeDisk', { id: d, provisionedSizeBytes: 2 * GiB }),
      call('resizeDisk', { id: d, provisionedSizeBytes: 3 * GiB }),
    ]);
    expect([a.__typename, b.__typename].sort()).toEqual(['LockedError', 'MutationResizeDiskSuccess']);
  });
});

describe('image work on the hosts', () => {
  const imageOf = async (gid: string) => {
    const d = await t.engine.db.disk.findUniqueOrThrow({ where: { id: local(gid) }, include: { storageDomain: true } });
    return volumePath(volumeRef(d.storageDomain, d.id));
  };
  const virtualSize = (file: string, format: string) =>
    JSON.parse(execFileSync('qemu-img', ['info', '--output=json', '-f', format, file], { encoding: 'utf8' }))['virtual-size'];

  it('the host makes the volume, grows it with the disk and removes it with the disk', async () => {
    const cow = (await mutate(t, 'addDisk', { alias: 'grown', storageDomain: inv.storage.id, provisionedSizeBytes: 64 * MiB }, 'disk')).id;
    const raw = (
      await mutate(
        t,
        'addDisk',
        { alias: 'grown-raw', storageDomain: inv.storage.id, provisionedSizeBytes: 16 * MiB, format: 'RAW' },
        'disk',
      )
    ).id;
    expect(virtualSize(await imageOf(cow), 'qcow2')).toBe(64 * MiB);
    await mutate(t, 'resizeDisk', { id: cow, provisionedSizeBytes: 96 * MiB }, 'disk');
    await mutate(t, 'resizeDisk', { id: raw, provisionedSizeBytes: 32 * MiB }, 'disk');
    expect(virtualSize(await imageOf(cow), 'qcow2')).toBe(96 * MiB);
    expect(statSync(await imageOf(raw)).size).toBe(32 * MiB);
    const file = await imageOf(raw);
    await mutate(t, 'removeDisk', { id: raw }, 'removed');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses disk work in a data center with no Up host (dry run and run), creating nothing', async () => {
    const dc = await mutate(t, 'addDataCenter', { name: 'D-empty-dc' }, 'dataCenter');
    const sd = await mutate(
      t,
      'addStorageDomain',
      { name: 'D-empty-data', dataCenter: dc.id, path: 'nfs:/empty', capacityBytes: 10 * GiB },
      'storageDomain',
    );
    const input = { alias: 'hostless', storageDomain: sd.id, provisionedSizeBytes: GiB };
    const check = (await t.gql('query($i: AddDiskInput!) { canAddDisk(input: $i) { allowed reasons { code message } } }', { i: input }))
      .data.canAddDisk;
    expect(check).toEqual({
      allowed: false,
      reasons: [
        { code: 'NO_HOST_FOR_STORAGE', message: 'No host of Data Center D-empty-dc is Up with its agent connected to do the image work.' },
      ],
    });
    const disks = await t.engine.db.disk.count();
    expect(await call('addDisk', input)).toMatchObject({ __typename: 'ValidationError', code: 'NO_HOST_FOR_STORAGE' });
    expect(await t.engine.db.disk.count()).toBe(disks);
    const event = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'USER_ACTION_REFUSED' }, orderBy: { createdAt: 'desc' } });
    expect(event.message).toContain('No host of Data Center D-empty-dc is Up');
  });

  it('refuses when the only Up host has lost its agent, before any row is written', async () => {
    await storageHost.agent.stop();
    await vi.waitFor(() => {
      if (t.engine.hosts.isConnected(storageHost.id)) throw new Error('still connected');
    });
    expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: storageHost.id } })).status).toBe('UP');
    const disks = await t.engine.db.disk.count();
    const res = await call('addDisk', { alias: 'agentless', storageDomain: inv.storage.id, provisionedSizeBytes: GiB });
    expect(res).toMatchObject({ __typename: 'ValidationError', code: 'NO_HOST_FOR_STORAGE' });
    expect(await t.engine.db.disk.count()).toBe(disks);
  });
});
