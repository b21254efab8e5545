// Disk moves and copies between storage domains move real data: a disk with a snapshot chain
// (markers written with qemu-io) moves with its chain to another POSIX domain and its source image
// is removed, offline and live (the simulated hypervisor mirrors the running layer); a copy is a standalone image with everything collapsed. Both run as Jobs; bad
// requests are refused with typed reasons and change nothing. Everything through the API, with a
// simulated host whose agent uses the real file storage and qemu-img.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { TestEngine } from '../support/testEngine.ts';
import { GiB, mutate } from '../support/inventory.ts';
import { startPosixStorage, type PosixDomain, type PosixStorage } from '../support/posixStorage.ts';
import { backingChain, holdsMarker, writeMarker } from '../support/imageData.ts';
import { runVmUp, stopVmDown, vmStatusIs } from '../support/vmPower.ts';
import { jobSettings } from '../../server/jobs/settings.ts';

const MiB = 1024 ** 2;
let storage: PosixStorage;
let t: TestEngine;
let inv: PosixStorage['inv'];
let dataA: PosixDomain;
let dataB: PosixDomain;

beforeAll(async () => {
  storage = await startPosixStorage('M', 'move-host');
  ({ t, inv } = storage);
  dataA = await storage.addDomain('M-posix-a');
  dataB = await storage.addDomain('M-posix-b');
});
afterAll(() => storage?.close());

const imageOf = (domain: PosixDomain, diskId: string) => storage.imageOf(domain, diskId);
const call = async (name: string, input: Record<string, unknown>, field?: string) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  const res = await t.gql(
    `mutation($i: ${type}Input!) { ${name}(input: $i) { __typename ... on Error { code message } ${field ? `... on Mutation${type}Success { ${field} { id } }` : ''} } }`,
    { i: input },
  );
  return res.data[name];
};
const can = async (name: string, input: Record<string, unknown>) => {
  const type = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  return (await t.gql(`query($i: ${type}Input!) { can${type}(input: $i) { allowed reasons { code } } }`, { i: input })).data[`can${type}`];
};
const DISK = `query($id: ID!) { node(id: $id) { ... on Disk { alias status storageDomain { name } } } }`;
const diskNode = async (gid: string) => (await t.gql(DISK, { id: gid })).data.node;
const vmState = async (vm: string) =>
  (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { status diskAttachments { disk { id } } } } }`, { id: vm })).data.node;
const jobs = async () =>
  (await t.gql(`{ jobs(first: 50) { edges { node { actionType description status } } } }`)).data.jobs.edges.map(
    (e: { node: unknown }) => e.node,
  );

describe('moving and copying disks between storage domains', () => {
  let vm: string;
  let disk: string;
  let diskId: string;
  let s1: string;

  beforeAll(async () => {
    vm = (
      await mutate(
        t,
        'addVm',
        {
          name: 'mover',
          cluster: inv.cluster.id,
          disks: [{ alias: 'mover-os', storageDomain: dataA.gid, provisionedSizeBytes: GiB, bootable: true }],
        },
        'vm',
      )
    ).id;
    disk = (await vmState(vm)).diskAttachments[0].disk.id;
    diskId = decodeGlobalID(disk).id;
    writeMarker(imageOf(dataA, diskId), 0x31, 0);
    s1 = (await call('createSnapshot', { vm, description: 'before' }, 'snapshot')).snapshot.id;
    writeMarker(imageOf(dataA, diskId), 0x32, MiB);
  });

  it('refuses a move to the domain the disk is on, and changes nothing', async () => {
    expect(await can('moveDisk', { id: disk, storageDomain: dataA.gid })).toEqual({
      allowed: false,
      reasons: [{ code: 'DISK_ALREADY_ON_STORAGE_DOMAIN' }],
    });
    expect(await call('moveDisk', { id: disk, storageDomain: dataA.gid })).toMatchObject({ code: 'DISK_ALREADY_ON_STORAGE_DOMAIN' });
    expect(await diskNode(disk)).toMatchObject({ storageDomain: { name: 'M-posix-a' } });
  });

  it("moves a Down VM's disk with its snapshot chain: the data is read on the target, the source image is gone", async () => {
    expect(await can('moveDisk', { id: disk, storageDomain: dataB.gid })).toEqual({ allowed: true, reasons: [] });
    const t0 = performance.now();
    const moved = await call('moveDisk', { id: disk, storageDomain: dataB.gid }, 'disk');
    console.log(`moveDisk of a 1 GiB disk (2 volumes, 128 KiB of data): ${Math.round(performance.now() - t0)} ms`);
    expect(moved.__typename, JSON.stringify(moved)).toBe('MutationMoveDiskSuccess');
    expect(await diskNode(disk)).toMatchObject({ status: 'OK', storageDomain: { name: 'M-posix-b' } });
    expect((await vmState(vm)).status).toBe('DOWN');
    const top = imageOf(dataB, diskId);
    expect(backingChain(top)).toHaveLength(2);
    expect(backingChain(top).every((f) => f.startsWith(dataB.path))).toBe(true);
    expect(holdsMarker(top, 0x31, 0)).toBe(true);
    expect(holdsMarker(top, 0x32, MiB)).toBe(true);
    expect(existsSync(path.dirname(imageOf(dataA, diskId)))).toBe(false);
    expect(await jobs()).toContainEqual({
      actionType: 'MoveDisk',
      description: 'Moving Disk mover-os to Storage Domain M-posix-b',
      status: 'FINISHED',
    });
    // The snapshot moved with it: restoring it on the new domain brings the old data back.
    expect((await call('restoreSnapshot', { vm, snapshot: s1 })).__typename).toBe('MutationRestoreSnapshotSuccess');
    expect(holdsMarker(imageOf(dataB, diskId), 0x31, 0)).toBe(true);
    expect(holdsMarker(imageOf(dataB, diskId), 0, MiB)).toBe(true);
    writeMarker(imageOf(dataB, diskId), 0x33, 2 * MiB);
  });

  it('copies a disk into a standalone floating disk holding everything its chain reads', async () => {
    const made = await call('copyDisk', { id: disk, storageDomain: dataA.gid, alias: 'mover-copy' }, 'disk');
    expect(made.__typename, JSON.stringify(made)).toBe('MutationCopyDiskSuccess');
    expect(await diskNode(made.disk.id)).toMatchObject({ alias: 'mover-copy', status: 'OK', storageDomain: { name: 'M-posix-a' } });
    const image = imageOf(dataA, decodeGlobalID(made.disk.id).id);
    expect(backingChain(image)).toEqual([image]);
    expect(holdsMarker(image, 0x31, 0)).toBe(true);
    expect(holdsMarker(image, 0x33, 2 * MiB)).toBe(true);
    // The source is unchanged and still the VM's.
    expect(holdsMarker(imageOf(dataB, diskId), 0x33, 2 * MiB)).toBe(true);
    expect((await vmState(vm)).diskAttachments).toHaveLength(1);
    expect(await jobs()).toContainEqual({
      actionType: 'CopyDisk',
      description: 'Copying Disk mover-os to Storage Domain M-posix-a',
      status: 'FINISHED',
    });
  });

  it('a thin disk over a template stays on its domain; its copy collapses the template in', async () => {
    const template = (await mutate(t, 'addTemplate', { vm, name: 'mover-tpl' }, 'template')).id;
    const thin = (await mutate(t, 'addVmFromTemplate', { template, cluster: inv.cluster.id, name: 'mover-thin' }, 'vm')).id;
    const thinDisk = (await vmState(thin)).diskAttachments[0].disk.id;
    expect(await call('moveDisk', { id: thinDisk, storageDomain: dataA.gid })).toMatchObject({ code: 'DISK_BASED_ON_TEMPLATE' });
    const made = await call('copyDisk', { id: thinDisk, storageDomain: dataA.gid }, 'disk');
    expect(made.__typename, JSON.stringify(made)).toBe('MutationCopyDiskSuccess');
    const image = imageOf(dataA, decodeGlobalID(made.disk.id).id);
    expect(backingChain(image)).toEqual([image]);
    expect(holdsMarker(image, 0x31, 0)).toBe(true);
    expect(holdsMarker(image, 0x33, 2 * MiB)).toBe(true);
  });

  it('a move the host cannot finish fails as a Job, leaving the disk, its VM and the target as they were', async () => {
    const other = (
      await mutate(
        t,
        'addVm',
        {
          name: 'stuck',
          cluster: inv.cluster.id,
          disks: [{ alias: 'stuck-os', storageDomain: dataA.gid, provisionedSizeBytes: GiB, bootable: true }],
        },
        'vm',
      )
    ).id;
    const stuck = (await vmState(other)).diskAttachments[0].disk.id;
    const stuckId = decodeGlobalID(stuck).id;
    writeMarker(imageOf(dataA, stuckId), 0x41, 0);
    // Something already holds the disk's folder on the target: the host refuses to copy over it.
    const squatter = path.dirname(imageOf(dataB, stuckId));
    mkdirSync(squatter, { recursive: true });
    const res = await call('moveDisk', { id: stuck, storageDomain: dataB.gid });
    expect(res).toMatchObject({ __typename: 'ActionFailedError', message: expect.stringContaining('already exists') });
    expect(await diskNode(stuck)).toMatchObject({ status: 'OK', storageDomain: { name: 'M-posix-a' } });
    expect((await vmState(other)).status).toBe('DOWN');
    expect(holdsMarker(imageOf(dataA, stuckId), 0x41, 0)).toBe(true);
    expect(existsSync(squatter)).toBe(true);
    expect(await jobs()).toContainEqual({
      actionType: 'MoveDisk',
      description: 'Moving Disk stuck-os to Storage Domain M-posix-b',
      status: 'FAILED',
    });
  });

  it("moves a running VM's disk live: the simulated hypervisor mirrors the top, the VM stays Up on the target", async () => {
    await runVmUp(t, vm);
    expect(await can('moveDisk', { id: disk, storageDomain: dataA.gid })).toEqual({ allowed: true, reasons: [] });
    const moved = await call('moveDisk', { id: disk, storageDomain: dataA.gid }, 'disk');
    expect(moved.__typename, JSON.stringify(moved)).toBe('MutationMoveDiskSuccess');
    expect(await diskNode(disk)).toMatchObject({ status: 'OK', storageDomain: { name: 'M-posix-a' } });
    expect((await vmState(vm)).status).toBe('UP');
    const top = imageOf(dataA, diskId);
    expect(backingChain(top)).toHaveLength(2);
    expect(backingChain(top).every((f) => f.startsWith(dataA.path))).toBe(true);
    expect(holdsMarker(top, 0x31, 0)).toBe(true);
    expect(holdsMarker(top, 0x33, 2 * MiB)).toBe(true);
    expect(existsSync(path.dirname(imageOf(dataB, diskId)))).toBe(false);
    const done = (await jobs()).filter((j: { actionType: string }) => j.actionType === 'MoveDisk');
    expect(done).toContainEqual({
      actionType: 'MoveDisk',
      description: 'Moving Disk mover-os to Storage Domain M-posix-a',
      status: 'FINISHED',
    });
  });

  it('holds the VM while its disk moves live; a host that never pivots fails the move, all left on the source', async () => {
    const bound = jobSettings.imageTimeoutMs;
    jobSettings.imageTimeoutMs = 1500;
    try {
      storage.host.driver.inject({ kind: 'hangNextCommand' });
      const moving = call('moveDisk', { id: disk, storageDomain: dataB.gid });
      // The chain is on the target; the host's block copy does not answer.
      await vi.waitFor(() => expect(existsSync(path.dirname(imageOf(dataB, diskId)))).toBe(true), { timeout: 5000, interval: 20 });
      expect(await call('createSnapshot', { vm, description: 'meanwhile' })).toMatchObject({ code: 'LOCKED' });
      expect(await moving).toMatchObject({ __typename: 'ActionFailedError', message: expect.stringContaining('no answer') });
    } finally {
      jobSettings.imageTimeoutMs = bound;
    }
    expect(await diskNode(disk)).toMatchObject({ status: 'OK', storageDomain: { name: 'M-posix-a' } });
    expect((await vmState(vm)).status).toBe('UP');
    expect(existsSync(path.dirname(imageOf(dataB, diskId)))).toBe(false);
    expect(holdsMarker(imageOf(dataA, diskId), 0x33, 2 * MiB)).toBe(true);
  });

  it('refuses to move the disk of a VM neither Up nor Down, with a typed reason', async () => {
    expect((await call('pauseVm', { id: vm })).__typename).toBe('MutationPauseVmSuccess');
    await vmStatusIs(t, vm, 'PAUSED');
    expect(await call('moveDisk', { id: disk, storageDomain: dataB.gid })).toMatchObject({ code: 'VM_STATUS_ILLEGAL' });
    expect(await diskNode(disk)).toMatchObject({ storageDomain: { name: 'M-posix-a' } });
    expect(existsSync(path.dirname(imageOf(dataB, diskId)))).toBe(false);
    await stopVmDown(t, vm);
  });
});
