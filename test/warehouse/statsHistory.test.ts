// statsHistory(from, to, resolution) over a year of agent reports (one a day, stamped by the
// engine's clock, which the test moves): the level AUTO picks, points past the rollups' marks,
// bad windows, and the permissions of live data, on hosts, VMs, clusters and the system.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { userWithRole } from '../support/inventory.ts';
import { HOUR, clocked, reportingHost } from './agentHistory.ts';

const DAY = 24 * HOUR;
const Y0 = Date.parse('2025-10-01T00:00:00Z');
const clock = { at: Y0 };
const vmId = '55555555-5555-4555-8555-555555555555';
let t: TestEngine;
let host: Awaited<ReturnType<typeof reportingHost>>;
let vmGid: string;
/** The host's CPU % on day d (its VM's is half). */
const cpuOn = (d: number) => (d % 10) * 10;
const iso = (ms: number) => new Date(ms).toISOString();

const VM_HISTORY = `query($id: ID!, $from: DateTime, $to: DateTime, $resolution: StatsResolution, $minutes: Int) { node(id: $id) { ... on Vm {
  statsHistory(from: $from, to: $to, resolution: $resolution, minutes: $minutes) { periodStart sampledAt samples cpuPercent cpuPercentMax cpuPercentMin } } } }`;
const HOST_HISTORY = `query($id: ID!, $from: DateTime, $to: DateTime, $resolution: StatsResolution) { node(id: $id) { ... on Host {
  statsHistory(from: $from, to: $to, resolution: $resolution) { periodStart samples cpuPercent cpuPercentMax memUsedMb } } } }`;
const CLUSTER_HISTORY = `query($id: ID!, $from: DateTime, $to: DateTime, $resolution: StatsResolution) { node(id: $id) { ... on Cluster {
  statsHistory(from: $from, to: $to, resolution: $resolution) { periodStart hosts cpuPercent } } } }`;
const SYSTEM_HISTORY = `query($from: DateTime, $to: DateTime, $resolution: StatsResolution) { systemStatsHistory(from: $from, to: $to, resolution: $resolution) { periodStart hosts cpuPercent } }`;

beforeAll(async () => {
  t = await startTestEngine({ engine: clocked(clock) });
  host = await reportingHost(t, clock, 'yearhost', vmId);
  for (let d = 0; d < 365; d++) await host.reportAt(Y0 + d * DAY + 12 * HOUR + 5 * 60_000, cpuOn(d));
  await t.engine.monitoring.history.flush();
  // The engine comes up a year later, at 13:10 on day 365: the job rolls up the whole year at once.
  clock.at = Y0 + 365 * DAY + 13 * HOUR + 10 * 60_000;
  await host.reportAt(Y0 + 365 * DAY + 12 * HOUR + 5 * 60_000, 40);
  await t.engine.monitoring.history.flush();
  clock.at = Y0 + 365 * DAY + 13 * HOUR + 10 * 60_000;
  expect(await t.engine.warehouse.run()).toMatchObject({ days: 365 });
  // Two reports after the job: in no rollup yet.
  await host.reportAt(Y0 + 365 * DAY + 13 * HOUR + 20 * 60_000, 60);
  await host.reportAt(Y0 + 365 * DAY + 13 * HOUR + 30 * 60_000, 80);
  await t.engine.monitoring.history.flush();
  const vms = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { vms { edges { node { id } } } } } }`, { id: host.hostGid });
  vmGid = vms.data.node.vms.edges[0].node.id;
  expect(decodeGlobalID(vmGid).id).toBe(vmId);
}, 180_000);
afterAll(() => t.close());

describe('resolution', () => {
  it('AUTO answers a year of one VM with its 365 daily points', async () => {
    const res = await t.gql(VM_HISTORY, { id: vmGid, from: iso(Y0), to: iso(Y0 + 365 * DAY) });
    expect(res.errors).toBeUndefined();
    const points = res.data.node.statsHistory;
    expect(points).toHaveLength(365);
    expect(points.map((p: { periodStart: string }) => p.periodStart)).toEqual(Array.from({ length: 365 }, (_, d) => iso(Y0 + d * DAY)));
    expect(points[123]).toEqual({
      periodStart: iso(Y0 + 123 * DAY),
      sampledAt: iso(Y0 + 123 * DAY + 12 * HOUR + 5 * 60_000),
      samples: 1,
      cpuPercent: cpuOn(123) / 2,
      cpuPercentMax: cpuOn(123) / 2,
      cpuPercentMin: cpuOn(123) / 2,
    });
  });

  it('AUTO answers 30 days with hours; the last day comes from its rolled-up hour and the samples after the mark', async () => {
    const res = await t.gql(HOST_HISTORY, { id: host.hostGid, from: iso(Y0 + 336 * DAY), to: iso(Y0 + 366 * DAY) });
    expect(res.errors).toBeUndefined();
    const points = res.data.node.statsHistory;
    expect(points).toHaveLength(31); // one hour a day, and hour 13 of day 365
    expect(points.at(-2)).toMatchObject({ periodStart: iso(Y0 + 365 * DAY + 12 * HOUR), samples: 1, cpuPercent: 40 });
    expect(points.at(-1)).toEqual({
      periodStart: iso(Y0 + 365 * DAY + 13 * HOUR),
      samples: 2,
      cpuPercent: 70,
      cpuPercentMax: 80,
      memUsedMb: 8000,
    });
    const days = await t.gql(HOST_HISTORY, { id: host.hostGid, from: iso(Y0 + 360 * DAY), to: iso(Y0 + 366 * DAY), resolution: 'DAILY' });
    expect(days.data.node.statsHistory.at(-1)).toEqual({
      periodStart: iso(Y0 + 365 * DAY),
      samples: 3,
      cpuPercent: 60,
      cpuPercentMax: 80,
      memUsedMb: 8000,
    });
    expect(days.data.node.statsHistory).toHaveLength(6);
  });

  it('SAMPLE reads the raw samples of the last hour (12:30 to 13:30), as minutes does', async () => {
    const byWindow = await t.gql(VM_HISTORY, { id: vmGid, from: iso(clock.at - HOUR), to: iso(clock.at), resolution: 'SAMPLE' });
    const byMinutes = await t.gql(VM_HISTORY, { id: vmGid, minutes: 60 });
    expect(byWindow.data.node.statsHistory.map((p: { cpuPercent: number }) => p.cpuPercent)).toEqual([30, 40]);
    expect(byMinutes.data).toEqual(byWindow.data);
  });

  it('hours past their retention (61 days) are gone; their days stay', async () => {
    const window = { id: host.hostGid, from: iso(Y0 + 100 * DAY), to: iso(Y0 + 102 * DAY) };
    expect((await t.gql(HOST_HISTORY, window)).data.node.statsHistory).toEqual([]);
    expect((await t.gql(HOST_HISTORY, { ...window, resolution: 'DAILY' })).data.node.statsHistory).toHaveLength(2);
  });

  it('a cluster and the system count each host once per period', async () => {
    const cluster = await t.gql(CLUSTER_HISTORY, {
      id: host.clusterGid,
      from: iso(Y0 + 100 * DAY),
      to: iso(Y0 + 102 * DAY),
      resolution: 'DAILY',
    });
    expect(cluster.data.node.statsHistory).toEqual([
      { periodStart: iso(Y0 + 100 * DAY), hosts: 1, cpuPercent: cpuOn(100) },
      { periodStart: iso(Y0 + 101 * DAY), hosts: 1, cpuPercent: cpuOn(101) },
    ]);
    const system = await t.gql(SYSTEM_HISTORY, { from: iso(Y0), to: iso(Y0 + 365 * DAY) });
    expect(system.data.systemStatsHistory).toHaveLength(365);
  });
});

describe('bad windows', () => {
  it('refuses each as BAD_INPUT and says why', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ from: iso(Y0 + DAY), to: iso(Y0) }, /to: must be later than from/],
      [{ from: iso(Y0), to: iso(Y0) }, /to: must be later than from/],
      [{ to: iso(Y0) }, /from: is required with to/],
      [{ minutes: 30, from: iso(Y0) }, /minutes: give either minutes or from and to/],
      [{ from: iso(Y0), to: iso(Y0 + 2 * DAY), resolution: 'SAMPLE' }, /SAMPLE history covers at most 1 days/],
      [{ from: iso(Y0 - 100 * DAY), to: iso(Y0), resolution: 'HOURLY' }, /HOURLY history covers at most 92 days/],
      [{ from: iso(Y0 - 3661 * DAY), to: iso(Y0) }, /DAILY history covers at most 3660 days/],
    ];
    for (const [vars, message] of cases) {
      const res = await t.gql(VM_HISTORY, { id: vmGid, ...vars });
      expect(res.data?.node ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
  });
});

describe('permissions', () => {
  it("as live data: a VM's user reads its year, and no host's or cluster's history", async () => {
    const token = await userWithRole(t, 'yearuser', 'UserRole', vmGid);
    const year = { from: iso(Y0), to: iso(Y0 + 365 * DAY) };
    expect((await t.gqlAs(token, VM_HISTORY, { id: vmGid, ...year })).data).toEqual((await t.gql(VM_HISTORY, { id: vmGid, ...year })).data);
    expect((await t.gqlAs(token, HOST_HISTORY, { id: host.hostGid, ...year })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gqlAs(token, CLUSTER_HISTORY, { id: host.clusterGid, ...year })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gqlAs(token, SYSTEM_HISTORY, year)).data.systemStatsHistory).toEqual([]);
  });
});
