// NFS storage domains the hosts mount: a real NFS server (nfs-ganesha exporting a folder over
// NFSv3), hosts whose agents mount it (these machines have no kernel NFS client, so through the
// agent's user-space client: libnfs over FUSE), and images written there by qemu-img, seen on the
// server's side. Added, sized, used for snapshot chains, lost and found again, removed: all
// through the API.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, GiB, mutate } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { startNfsServer, type NfsServer } from '../support/nfsServer.ts';
import { backingChain, holdsMarker, writeMarker } from '../support/imageData.ts';
import { nfsMountPoint } from '../../agent/storage/domainLayout.ts';

const MiB = 1024 ** 2;
let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let server: { url: string; stop(): Promise<void> };
let hosts: SimHost[];
let exportDir: string;
let nfs: NfsServer;

beforeAll(async () => {
  exportDir = mkdtempSync(path.join(os.tmpdir(), 'vireo-nfs-export-'));
  nfs = await startNfsServer(exportDir);
  t = await startTestEngine();
  inv = await buildInventory(t, 'N');
  server = await t.listen();
  hosts = [
    await addSimulatedHost(t, server.url, inv.cluster.id, 'nfs-host1'),
    await addSimulatedHost(t, server.url, inv.cluster.id, 'nfs-host2'),
  ];
  await hostsUp(t, hosts);
});
afterAll(async () => {
  for (const h of hosts ?? []) await h.agent.stop();
  await server?.stop();
  await t?.close();
  if (nfs && existsSync(nfsMountPoint(nfs.address))) execFileSync('umount', ['-l', nfsMountPoint(nfs.address)]);
  await nfs?.close();
  rmSync(exportDir, { recursive: true, force: true });
});

const ADD = `mutation($i: AddStorageDomainInput!) { addStorageDomain(input: $i) { __typename
  ... on Error { code message }
  ... on MutationAddStorageDomainSuccess { storageDomain { id status capacityBytes reachedByHosts mountOptions } } } }`;
const add = async (name: string, address: string, mountOptions: string) =>
  (await t.gql(ADD, { i: { name, dataCenter: inv.dc.id, path: address, storageType: 'NFS', mountOptions } })).data.addStorageDomain;
const DOMAIN = `query($id: ID!) { node(id: $id) { ... on StorageDomain { status capacityBytes usedBytes } } }`;
const domain = async (id: string) => (await t.gql(DOMAIN, { id })).data.node;
const HOST = `query($id: ID!) { node(id: $id) { ... on Host { status statusReason } } }`;
const host = async (h: SimHost) => (await t.gql(HOST, { id: h.gid })).data.node;
const domainNames = async () =>
  (await t.gql(`{ storageDomains(first: 100) { edges { node { name } } } }`)).data.storageDomains.edges.map((e: any) => e.node.name);
const mounted = () => readFileSync('/proc/mounts', 'utf8').includes(` ${nfsMountPoint(nfs.address)} `);
describe('NFS domains the hosts mount', () => {
  let gid: string;
  let id: string;

  it('refuses an address that is no NFS export, or options the hosts do not take, creating nothing', async () => {
    for (const address of [
      'no-colon',
      'server:relative',
      'server:/a/../etc',
      ':/x',
      'bad host:/x',
      'server:/a b',
      'server:/x,ro',
      'server:/x\ny',
    ]) {
      const r = await add('bad-nfs', address, '');
      expect(r.code, address).toBe('STORAGE_PATH_NOT_NFS');
    }
    const r = await add('bad-nfs', nfs.address, `${nfs.mountOptions},exec=/bin/sh`);
    expect(r.code).toBe('STORAGE_MOUNT_OPTIONS_NOT_ALLOWED');
    expect(r.message).toMatch(/exec=\/bin\/sh/);
    expect(await domainNames()).not.toContain('bad-nfs');
  });

  it('refuses an export no host can mount, with the hosts words, leaving nothing mounted', async () => {
    const r = await add('nfs-missing', `127.0.0.1:${exportDir}-missing`, nfs.mountOptions);
    expect(r.code).toBe('STORAGE_DOMAIN_UNREACHABLE');
    expect(r.message).toMatch(/nfs-host\d: cannot mount 127\.0\.0\.1:.*-missing/);
    expect(await domainNames()).not.toContain('nfs-missing');
    expect(existsSync(nfsMountPoint(`127.0.0.1:${exportDir}-missing`))).toBe(false);
  });

  it('adds a reachable export, mounted by the hosts and sized by the server', async () => {
    const r = await add('nfs-data', nfs.address, nfs.mountOptions);
    expect(r.__typename, JSON.stringify(r)).toBe('MutationAddStorageDomainSuccess');
    expect(r.storageDomain).toMatchObject({ status: 'ACTIVE', reachedByHosts: true, mountOptions: nfs.mountOptions });
    gid = r.storageDomain.id;
    id = decodeGlobalID(gid).id;
    const fs = statfsSync(exportDir);
    expect(Math.abs(r.storageDomain.capacityBytes - fs.blocks * fs.bsize)).toBeLessThan(fs.blocks * fs.bsize * 0.01);
    expect(mounted()).toBe(true);
    expect((await add('nfs-again', nfs.address, nfs.mountOptions)).code).toBe('STORAGE_PATH_IN_USE');
  });

  it('keeps disk images on the server: a snapshot chain written and restored through the mount', async () => {
    const vm = await mutate(
      t,
      'addVm',
      {
        name: 'on-nfs',
        cluster: inv.cluster.id,
        disks: [{ alias: 'on-nfs-a', storageDomain: gid, provisionedSizeBytes: GiB, bootable: true }],
      },
      'vm',
    );
    const state = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { diskAttachments { disk { id } } } } }`, { id: vm.id });
    const disk = decodeGlobalID(state.data.node.diskAttachments[0].disk.id).id;
    // What the NFS server holds, in oVirt's layout of a file domain.
    const folder = path.join(exportDir, id, 'images', disk);
    const top = () => {
      const files = execFileSync('ls', ['-t', folder], { encoding: 'utf8' }).split('\n').filter(Boolean);
      return backingChain(path.join(folder, files[0]!))[0]!;
    };
    expect(existsSync(folder)).toBe(true);
    writeMarker(top(), 0xaa, 0);
    const snapshot = (await mutate(t, 'createSnapshot', { vm: vm.id, description: 'on nfs' }, 'snapshot')).id;
    expect(backingChain(top())).toHaveLength(2);
    writeMarker(top(), 0xbb, 0);
    await mutate(t, 'restoreSnapshot', { vm: vm.id, snapshot }, 'snapshot');
    expect(holdsMarker(top(), 0xaa, 0)).toBe(true);
    expect(holdsMarker(top(), 0xbb, 0)).toBe(false);
    await mutate(t, 'removeVm', { id: vm.id, removeDisks: true }, 'removed');
    await vi.waitFor(() => expect(existsSync(folder)).toBe(false), { timeout: 10_000, interval: 200 });
  });

  it('makes the hosts NonOperational and the domain Inactive when the server dies', async () => {
    await nfs.stop();
    await vi.waitFor(
      async () => {
        for (const h of hosts) expect((await host(h)).status).toBe('NON_OPERATIONAL');
        expect((await domain(gid)).status).toBe('INACTIVE');
      },
      { timeout: 30_000, interval: 250 },
    );
    expect((await host(hosts[0]!)).statusReason).toMatch(/nfs-data/);
  });

  it('mounts it again when the server is back: hosts Up, domain Active', async () => {
    await nfs.start();
    await vi.waitFor(
      async () => {
        for (const h of hosts) expect((await host(h)).status).toBe('UP');
        expect((await domain(gid)).status).toBe('ACTIVE');
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(mounted()).toBe(true);
  });

  it('unmounts a removed domain', async () => {
    expect((await mutate(t, 'removeStorageDomain', { id: gid }, 'removed')).id).toBe(gid);
    await vi.waitFor(() => expect(mounted()).toBe(false), { timeout: 10_000, interval: 200 });
    for (const h of hosts) expect((await host(h)).status).toBe('UP');
  });
});

describe('NFS domains with a declared size', () => {
  it('stay labels no host mounts', async () => {
    const r = (
      await t.gql(ADD, { i: { name: 'nfs-label', dataCenter: inv.dc.id, path: 'filer.example:/exports/x', capacityBytes: 100 * MiB } })
    ).data.addStorageDomain;
    expect(r.storageDomain).toMatchObject({ status: 'ACTIVE', reachedByHosts: false, capacityBytes: 100 * MiB });
    expect(existsSync(nfsMountPoint('filer.example:/exports/x'))).toBe(false);
  });
});
