// Local and POSIX storage domains are reached by the hosts: added only when a host of the data
// center reaches the directory, sized by what the hosts measure (statvfs), and judged by their
// reports: a host that loses a domain is NonOperational, a domain no Up host reaches is Inactive.
// Real directories, two simulated hosts whose agents use the real file storage, all through the API.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';

const MiB = 1024 ** 2;
let t: TestEngine;
let inv: Awaited<ReturnType<typeof buildInventory>>;
let server: { url: string; stop(): Promise<void> };
let hosts: SimHost[];
let root: string;
const savedRoots = process.env.VIREO_STORAGE_ROOTS;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'vireo-domains-'));
  process.env.VIREO_STORAGE_ROOTS = root;
  t = await startTestEngine();
  inv = await buildInventory(t, 'S');
  server = await t.listen();
  hosts = [
    await addSimulatedHost(t, server.url, inv.cluster.id, 'sd-host1'),
    await addSimulatedHost(t, server.url, inv.cluster.id, 'sd-host2'),
  ];
  await hostsUp(t, hosts);
});
afterAll(async () => {
  for (const h of hosts ?? []) await h.agent.stop();
  await server?.stop();
  await t?.close();
  if (savedRoots === undefined) delete process.env.VIREO_STORAGE_ROOTS;
  else process.env.VIREO_STORAGE_ROOTS = savedRoots;
  rmSync(root, { recursive: true, force: true });
});

const ADD = `mutation($i: AddStorageDomainInput!) { addStorageDomain(input: $i) { __typename
  ... on Error { code message }
  ... on MutationAddStorageDomainSuccess { storageDomain { id status capacityBytes usedBytes } } } }`;
const add = async (name: string, dir: string, storageType = 'POSIXFS') =>
  (await t.gql(ADD, { i: { name, dataCenter: inv.dc.id, path: dir, storageType } })).data.addStorageDomain;
const DOMAIN = `query($id: ID!) { node(id: $id) { ... on StorageDomain { status capacityBytes usedBytes } } }`;
const domain = async (id: string) => (await t.gql(DOMAIN, { id })).data.node;
const HOST = `query($id: ID!) { node(id: $id) { ... on Host { status statusReason } } }`;
const host = async (h: SimHost) => (await t.gql(HOST, { id: h.gid })).data.node;
const domainNames = async () =>
  (await t.gql(`{ storageDomains(first: 100) { edges { node { name } } } }`)).data.storageDomains.edges.map((e: any) => e.node.name);
const eventCodes = async () =>
  (await t.gql(`{ events(first: 200) { edges { node { code message } } } }`)).data.events.edges.map((e: any) => e.node.code);

describe('storage domains the hosts reach', () => {
  let id: string;
  const dir = () => path.join(root, 'data1');

  it('refuses paths outside the allowed roots or not normalized, creating nothing', async () => {
    for (const p of ['/etc', `${root}/../etc`, 'relative/dir', root]) {
      const r = await add('bad-path', p);
      expect(r.__typename, p).toBe('ValidationError');
      expect(r.code).toBe('STORAGE_PATH_NOT_ALLOWED');
    }
    expect(await domainNames()).not.toContain('bad-path');
  });

  it('refuses a directory no host reaches, creating nothing, and says why in the event log', async () => {
    const r = await add('missing', path.join(root, 'missing'));
    expect(r.__typename).toBe('ValidationError');
    expect(r.code).toBe('STORAGE_DOMAIN_UNREACHABLE');
    expect(r.message).toMatch(/sd-host1: .*no such directory/);
    expect(await domainNames()).not.toContain('missing');
    const events = (await t.gql(`{ events(first: 20, filter: { code: "USER_ACTION_REFUSED" }) { edges { node { message } } } }`)).data
      .events.edges;
    expect(events.map((e: any) => e.node.message).join('\n')).toMatch(/missing: no such directory/);
  });

  it('adds a reachable directory sized by the file system the hosts measure', async () => {
    mkdirSync(dir());
    const r = await add('posix-data', dir());
    expect(r.__typename).toBe('MutationAddStorageDomainSuccess');
    id = r.storageDomain.id;
    const fs = statfsSync(dir());
    expect(r.storageDomain.status).toBe('ACTIVE');
    expect(r.storageDomain.capacityBytes).toBe(fs.blocks * fs.bsize);
    // Declared figures are not asked for, and a second domain on the same directory is refused.
    const again = await add('posix-again', dir());
    expect(again.code).toBe('STORAGE_PATH_IN_USE');
  });

  it('takes its space figures from the hosts reports as the file system fills', async () => {
    execFileSync('fallocate', ['-l', String(256 * MiB), path.join(dir(), 'ballast')]);
    await vi.waitFor(
      async () => {
        const fs = statfsSync(dir());
        const used = (fs.blocks - fs.bavail) * fs.bsize;
        const d = await domain(id);
        expect(Math.abs(d.usedBytes - used)).toBeLessThan(32 * MiB);
      },
      { timeout: 15_000, interval: 200 },
    );
    rmSync(path.join(dir(), 'ballast'));
  });

  it('makes each host that loses it NonOperational, and the domain Inactive once no Up host reaches it', async () => {
    renameSync(dir(), `${dir()}.gone`);
    await vi.waitFor(
      async () => {
        for (const h of hosts) expect((await host(h)).status).toBe('NON_OPERATIONAL');
        expect((await domain(id)).status).toBe('INACTIVE');
      },
      { timeout: 15_000, interval: 200 },
    );
    expect((await host(hosts[0]!)).statusReason).toMatch(/posix-data/);
    const codes = await eventCodes();
    expect(codes.filter((c: string) => c === 'VDS_SET_NONOPERATIONAL_DOMAIN')).toHaveLength(2);
    expect(codes).toContain('SYSTEM_DEACTIVATED_STORAGE_DOMAIN');
  });

  it('brings the hosts Up and the domain Active again when the directory is back', async () => {
    renameSync(`${dir()}.gone`, dir());
    await vi.waitFor(
      async () => {
        for (const h of hosts) expect((await host(h)).status).toBe('UP');
        expect((await domain(id)).status).toBe('ACTIVE');
      },
      { timeout: 15_000, interval: 200 },
    );
    const codes = await eventCodes();
    expect(codes).toContain('VDS_STORAGE_DOMAINS_REACHED');
    expect(codes).toContain('SYSTEM_ACTIVATED_STORAGE_DOMAIN');
  });

  it('stops judging the hosts by a removed domain', async () => {
    expect((await mutate(t, 'removeStorageDomain', { id }, 'removed')).id).toBe(id);
    rmSync(dir(), { recursive: true });
    // Reports keep coming; nothing turns the hosts NonOperational for a domain they no longer connect.
    await new Promise((r) => setTimeout(r, 1000));
    for (const h of hosts) expect((await host(h)).status).toBe('UP');
  });
});
