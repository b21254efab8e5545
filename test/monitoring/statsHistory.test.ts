// Recent history from the stored samples, through GraphQL: buckets and their means, order,
// the window and the cap on points, a bad window, and what a user without permission sees.
// The samples come from agent reports, sent at chosen times on the engine's monitoring clock.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { userWithRole } from '../support/inventory.ts';
import { domain, hello, hostWithToken, report, send } from './support.ts';
import { bucketSeconds } from '../../server/history/statsHistory.ts';

let t: TestEngine;
let one: Awaited<ReturnType<typeof hostWithToken>>;
let two: Awaited<ReturnType<typeof hostWithToken>>;
/** The engine's monitoring clock: a report is stamped with the time it arrives. */
let clock = Date.now();
/** hist-vm runs on hist1 (an external VM, found by its first report). */
const vmId = randomUUID();
let vm: { id: string };
/** A time half an hour ago that starts a bucket of every width (5 minutes divides by 15 s). */
let base: number;
const at = (ms: number) => new Date(base + ms);
const HOST_HISTORY = `query($id: ID!, $minutes: Int!) { node(id: $id) { ... on Host { statsHistory(minutes: $minutes) {
  sampledAt samples cpuPercent cpuLoad memUsedMb memFreeMb netRxBps netTxBps } } } }`;
const VM_HISTORY = `query($id: ID!, $minutes: Int!) { node(id: $id) { ... on Vm { statsHistory(minutes: $minutes) { sampledAt samples cpuPercent memUsedMb diskWriteBps } } } }`;
const SYSTEM_HISTORY = `query($minutes: Int!) { systemStatsHistory(minutes: $minutes) { sampledAt hosts cpuPercent memUsedPercent netRxBps netTxBps } }`;

/** One report of the host at `when`: its CPU, memory and network, and the VMs it runs with their CPU and memory. */
async function reportAt(
  host: { name: string; token: string },
  when: Date,
  h: { cpu: number; used: number; free: number; net?: number },
  vms: { id: string; name: string; cpu: number; mem: number }[] = [],
) {
  clock = when.getTime();
  const r = report(
    0,
    vms.map((v) =>
      domain(v.id, v.name, 'UP', {
        sample: { ...domain(v.id, v.name, 'UP').sample, cpuPercent: v.cpu },
        guest: { hostname: '', ips: [], memUsedMb: v.mem, applications: [], loggedInUser: '' },
      }),
    ),
  );
  const net = h.net ?? 100;
  r.host = {
    ...r.host,
    cpuUserPercent: h.cpu,
    cpuSysPercent: 0,
    cpuIdlePercent: 100 - h.cpu,
    cpuLoad: h.cpu / 10,
    memUsedMb: h.used,
    memFreeMb: h.free,
    netRxBps: net,
    netTxBps: net / 2,
  };
  const res = await send(t, 'report', host, r);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

beforeAll(async () => {
  t = await startTestEngine({ engine: { monitoring: { now: () => new Date(clock) } } });
  one = await hostWithToken(t, 'hist1');
  two = await hostWithToken(t, 'hist2');
  await send(t, 'hello', one, hello);
  await send(t, 'hello', two, hello);
  base = Math.floor((Date.now() - 30 * 60_000) / 300_000) * 300_000;
  const histVm = (cpu: number, mem: number) => [{ id: vmId, name: 'hist-vm', cpu, mem }];
  await reportAt(one, new Date(Date.now() - 61 * 60_000), { cpu: 99, used: 1, free: 1 }, histVm(7, 100)); // before the default window
  await reportAt(one, at(1_000), { cpu: 10, used: 1000, free: 3000 }, histVm(10, 500));
  await reportAt(two, at(3_000), { cpu: 50, used: 3000, free: 1000, net: 1000 });
  await reportAt(one, at(5_000), { cpu: 20, used: 2000, free: 3000 }, histVm(20, 1000));
  await reportAt(one, at(16_000), { cpu: 40, used: 4000, free: 0 }, histVm(30, 1500));
  clock = Date.now();
  await t.engine.monitoring.history.flush();
  vm = (await t.gql('{ vms(first: 1, filter: { nameContains: "hist-vm" }) { edges { node { id } } } }')).data.vms.edges[0].node;
});
afterAll(() => t.close());

describe('a host and a VM', () => {
  it('returns the means of each bucket, oldest first, stamped with the newest sample in it', async () => {
    expect(bucketSeconds(60)).toBe(15);
    const res = await t.gql(HOST_HISTORY, { id: one.hostGid, minutes: 60 });
    expect(res.errors).toBeUndefined();
    expect(res.data.node.statsHistory).toEqual([
      {
        sampledAt: at(5_000).toISOString(),
        samples: 2,
        cpuPercent: 15,
        cpuLoad: 1.5,
        memUsedMb: 1500,
        memFreeMb: 3000,
        netRxBps: 100,
        netTxBps: 50,
      },
      {
        sampledAt: at(16_000).toISOString(),
        samples: 1,
        cpuPercent: 40,
        cpuLoad: 4,
        memUsedMb: 4000,
        memFreeMb: 0,
        netRxBps: 100,
        netTxBps: 50,
      },
    ]);
    const vmRes = await t.gql(VM_HISTORY, { id: vm.id, minutes: 60 });
    expect(vmRes.data.node.statsHistory).toEqual([
      { sampledAt: at(5_000).toISOString(), samples: 2, cpuPercent: 15, memUsedMb: 750, diskWriteBps: 100 },
      { sampledAt: at(16_000).toISOString(), samples: 1, cpuPercent: 30, memUsedMb: 1500, diskWriteBps: 100 },
    ]);
  });

  it('reads only the window asked for, 60 minutes by default, in wider buckets for longer windows', async () => {
    const byDefault = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { statsHistory { samples } } } }`, { id: one.hostGid });
    expect(byDefault.data.node.statsHistory).toEqual([{ samples: 2 }, { samples: 1 }]);
    expect(bucketSeconds(1440)).toBe(300);
    const day = (await t.gql(HOST_HISTORY, { id: one.hostGid, minutes: 1440 })).data.node.statsHistory;
    expect(day.map((p: { samples: number }) => p.samples)).toEqual([1, 3]);
    expect(day[0].cpuPercent).toBe(99);
    expect(day[1].cpuPercent).toBeCloseTo(70 / 3);
    expect((await t.gql(HOST_HISTORY, { id: one.hostGid, minutes: 10 })).data.node.statsHistory).toEqual([]);
  });

  it('sends at most 300 points for a day of samples', async () => {
    // Another host's VM, reported every 150 s for the day up to an hour ago (the last hour is the other tests').
    const cap = await hostWithToken(t, 'hist3');
    await send(t, 'hello', cap, hello);
    const capVm = { id: randomUUID(), name: 'cap-vm', cpu: 0, mem: 1 };
    const start = Date.now() - 1440 * 60_000 + 60_000;
    const count = Math.floor((1379 * 60_000) / 150_000);
    for (let i = 0; i < count; i++)
      await reportAt(cap, new Date(start + 150_000 * i), { cpu: 1, used: 1, free: 1 }, [{ ...capVm, cpu: i % 100 }]);
    clock = Date.now();
    await t.engine.monitoring.history.flush();
    const capGid = (await t.gql('{ vms(first: 1, filter: { nameContains: "cap-vm" }) { edges { node { id } } } }')).data.vms.edges[0].node
      .id;
    const points: { sampledAt: string; samples: number }[] = (await t.gql(VM_HISTORY, { id: capGid, minutes: 1440 })).data.node
      .statsHistory;
    expect(points.length).toBeGreaterThan(270);
    expect(points.length).toBeLessThanOrEqual(300);
    expect(points.reduce((n, p) => n + p.samples, 0)).toBe(count);
    const times = points.map((p) => Date.parse(p.sampledAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
  });

  it('refuses a window of no minutes or of more than a day as bad input', async () => {
    for (const minutes of [0, -5, 1441]) {
      const res = await t.gql(HOST_HISTORY, { id: one.hostGid, minutes });
      expect(res.data?.node ?? null).toBeNull();
      expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_INPUT' } });
      expect(res.errors?.[0]?.message).toMatch(minutes > 0 ? /minutes is at most 1440/ : /minutes is at least 1/);
    }
    const system = await t.gql(SYSTEM_HISTORY, { minutes: 100_000 });
    expect(system.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
  });
});

describe('all hosts', () => {
  it('counts each host once per bucket by its mean: mean CPU, memory used of the total, summed network', async () => {
    const res = await t.gql(SYSTEM_HISTORY, { minutes: 60 });
    expect(res.errors).toBeUndefined();
    const [first, second] = res.data.systemStatsHistory;
    expect(res.data.systemStatsHistory).toHaveLength(2);
    expect(first).toMatchObject({ sampledAt: at(5_000).toISOString(), hosts: 2, cpuPercent: 32.5, netRxBps: 1100, netTxBps: 550 });
    expect(first.memUsedPercent).toBeCloseTo(((1500 + 3000) / (4500 + 4000)) * 100);
    expect(second).toEqual({
      sampledAt: at(16_000).toISOString(),
      hosts: 1,
      cpuPercent: 40,
      memUsedPercent: 100,
      netRxBps: 100,
      netTxBps: 50,
    });
  });
});

describe('permissions', () => {
  const userWith = (userName: string, role: string, object: string) => userWithRole(t, userName, role, object);

  it("a user given one VM reads that VM's history, and no host's, alone or summed", async () => {
    const token = await userWith('histuser', 'UserRole', vm.id);
    const own = await t.gqlAs(token, VM_HISTORY, { id: vm.id, minutes: 60 });
    expect(own.data.node.statsHistory).toHaveLength(2);
    expect(own.data).toEqual((await t.gql(VM_HISTORY, { id: vm.id, minutes: 60 })).data);
    const host = await t.gqlAs(token, HOST_HISTORY, { id: one.hostGid, minutes: 60 });
    expect(host.data?.node ?? null).toBeNull();
    expect(host.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gqlAs(token, SYSTEM_HISTORY, { minutes: 60 })).data.systemStatsHistory).toEqual([]);
  });

  it('a cluster administrator sums the hosts of that cluster only', async () => {
    const token = await userWith('histadmin', 'ClusterAdmin', two.clusterGid);
    const res = await t.gqlAs(token, SYSTEM_HISTORY, { minutes: 60 });
    expect(res.data.systemStatsHistory).toEqual([
      { sampledAt: at(3_000).toISOString(), hosts: 1, cpuPercent: 50, memUsedPercent: 75, netRxBps: 1000, netTxBps: 500 },
    ]);
    expect((await t.gqlAs(token, VM_HISTORY, { id: vm.id, minutes: 60 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('without a session there is no history', async () => {
    const res = await t.gqlAs(null, SYSTEM_HISTORY, { minutes: 60 });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
