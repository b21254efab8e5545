// The rollup job over samples that came in as agent reports: complete hours and days rolled up
// once, a second pass adding nothing, catching up after downtime, and each level's retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { HOUR, T0, clocked, hostCpu, reportingHost, vmCpu } from './agentHistory.ts';
import { GiB } from '../support/inventory.ts';

const clock = { at: 0 };
const vmId = '44444444-4444-4444-8444-444444444444';
let t: TestEngine;
let host: Awaited<ReturnType<typeof reportingHost>>;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

beforeAll(async () => {
  t = await startTestEngine({ engine: { ...clocked(clock), warehouse: { retention: { sampleHours: 24, hourlyDays: 2, dailyDays: 4 } } } });
  host = await reportingHost(t, clock, 'dwh1', vmId);
  await host.reportHours(0, 72);
}, 120_000);
afterAll(() => t.close());

const hourlyOfHost = () => t.engine.db.hostStatsHourly.findMany({ where: { hostId: host.hostId }, orderBy: { periodStart: 'asc' } });

describe('rollup', () => {
  it('rolls three days of reports into hours and days: mean, max and min of each', async () => {
    clock.at = T0 + 72 * HOUR + 5 * 60_000;
    const out = await t.engine.warehouse.run();
    expect(out).toMatchObject({ hours: 72, days: 3 });
    // Retention in the same pass: hourly rows two days back, raw samples a day back (once rolled up).
    expect(out.deleted).toMatchObject({ samples: 2 * 48 * 3, hourly: 2 * 25, daily: 0 });
    const hours = await hourlyOfHost();
    expect(hours.map((h) => h.periodStart.getTime())).toEqual(range(47, 25).map((h) => T0 + h * HOUR));
    const h30 = hours.find((h) => h.periodStart.getTime() === T0 + 30 * HOUR)!;
    expect(h30).toMatchObject({
      samples: 3,
      cpuPercentAvg: hostCpu(30, 1),
      cpuPercentMax: hostCpu(30, 2),
      cpuPercentMin: hostCpu(30, 0),
      lastSampledAt: new Date(T0 + 30 * HOUR + 45 * 60_000),
    });
    const days = await t.engine.db.vmStatsDaily.findMany({ where: { vmId }, orderBy: { periodStart: 'asc' } });
    expect(days.map((d) => d.periodStart.getTime())).toEqual([T0, T0 + 24 * HOUR, T0 + 48 * HOUR]);
    for (const [i, d] of days.entries()) {
      const cpus = range(24, i * 24).flatMap((h) => [0, 1, 2].map((k) => vmCpu(h, k)));
      expect(d.samples).toBe(72);
      expect(d.cpuPercentAvg).toBeCloseTo(mean(cpus), 9);
      expect(d.cpuPercentMax).toBe(Math.max(...cpus));
      expect(d.cpuPercentMin).toBe(Math.min(...cpus));
    }
    expect(await t.engine.db.hostSample.count({ where: { hostId: host.hostId } })).toBe(24 * 3);
  });

  it('BI tools read the same rows through the documented views, with names joined in', async () => {
    const rows = await t.engine.db.$queryRaw<
      Record<string, unknown>[]
    >`SELECT host_name, cluster_name, period_start, samples, cpu_percent_avg, cpu_percent_max
      FROM vireo_host_hourly WHERE host_name = 'dwh1' AND period_start = ${new Date(T0 + 30 * HOUR).toISOString()}::timestamptz`;
    expect(rows).toEqual([
      {
        host_name: 'dwh1',
        cluster_name: 'dwh1-cluster',
        period_start: new Date(T0 + 30 * HOUR),
        samples: 3,
        cpu_percent_avg: hostCpu(30, 1),
        cpu_percent_max: hostCpu(30, 2),
      },
    ]);
    const [vm] = await t.engine.db.$queryRaw<
      { vm_name: string; days: bigint }[]
    >`SELECT vm_name, count(*) AS days FROM vireo_vm_daily WHERE vm_id = ${vmId}::uuid GROUP BY vm_name`;
    expect(vm).toEqual({ vm_name: 'dwh1-vm', days: 3n });
    const [inventory] = await t.engine.db.$queryRaw<
      { host_name: string; vms: bigint }[]
    >`SELECT host_name, count(*) AS vms FROM vireo_vms WHERE host_name = 'dwh1' GROUP BY host_name`;
    expect(inventory).toEqual({ host_name: 'dwh1', vms: 1n });
    // Storage domains: the pass sampled the data center's domain (100 GiB declared, nothing on it yet).
    const domains = await t.engine.db.$queryRaw<
      Record<string, unknown>[]
    >`SELECT storage_domain_name, data_center_name, sampled_at, used_bytes, capacity_bytes FROM vireo_storage_domain_samples
      WHERE storage_domain_name = 'dwh1-data'`;
    expect(domains).toEqual([
      {
        storage_domain_name: 'dwh1-data',
        data_center_name: 'dwh1-dc',
        sampled_at: new Date(T0 + 72 * HOUR + 5 * 60_000),
        used_bytes: 0,
        capacity_bytes: 100 * GiB,
      },
    ]);
    const [now] = await t.engine.db.$queryRaw<
      Record<string, unknown>[]
    >`SELECT storage_domain_name, domain_type, storage_type, status, data_center_name, capacity_bytes, free_bytes
      FROM vireo_storage_domains WHERE storage_domain_name = 'dwh1-data'`;
    expect(now).toEqual({
      storage_domain_name: 'dwh1-data',
      domain_type: 'DATA',
      storage_type: 'NFS',
      status: expect.any(String),
      data_center_name: 'dwh1-dc',
      capacity_bytes: BigInt(100 * GiB),
      free_bytes: BigInt(100 * GiB),
    });
  });

  it('counts nothing twice: a second pass rolls up nothing and changes no row', async () => {
    const before = await hourlyOfHost();
    expect(await t.engine.warehouse.run()).toEqual({ hours: 0, days: 0, deleted: { samples: 0, hourly: 0, daily: 0, changes: 0 } });
    expect(await hourlyOfHost()).toEqual(before);
  });

  it('catches up after downtime: two silent days later, the hours since the mark and the days they complete', async () => {
    await host.reportHours(72, 74);
    clock.at = T0 + 120 * HOUR + 30 * 60_000;
    const marks = await t.engine.warehouse.marks();
    expect(marks).toEqual({ hourly: new Date(T0 + 72 * HOUR), daily: new Date(T0 + 72 * HOUR) });
    const out = await t.engine.warehouse.run();
    expect(out).toMatchObject({ hours: 48, days: 2 });
    expect(await t.engine.warehouse.marks()).toEqual({ hourly: new Date(T0 + 120 * HOUR), daily: new Date(T0 + 120 * HOUR) });
    const day3 = await t.engine.db.hostStatsDaily.findUniqueOrThrow({
      where: { hostId_periodStart: { hostId: host.hostId, periodStart: new Date(T0 + 72 * HOUR) } },
    });
    expect(day3).toMatchObject({
      samples: 6,
      cpuPercentAvg: mean([hostCpu(72, 0), hostCpu(72, 1), hostCpu(72, 2), hostCpu(73, 0), hostCpu(73, 1), hostCpu(73, 2)]),
    });
    // Kept: samples of the last day (none), hours of the last two days (73: 72 began 48.5 hours ago), days of the last four (2 and 3).
    expect(await t.engine.db.hostSample.count({ where: { hostId: host.hostId } })).toBe(0);
    expect((await hourlyOfHost()).map((h) => h.periodStart.getTime())).toEqual([T0 + 73 * HOUR]);
    expect(
      (await t.engine.db.hostStatsDaily.findMany({ where: { hostId: host.hostId } })).map((d) => d.periodStart.getTime()).sort(),
    ).toEqual([2, 3].map((d) => T0 + d * 24 * HOUR));
  });

  it("BI tools read storage domains' space rolled up per hour and day through the views", async () => {
    // A pass an hour later rolls up hour 120 (the catch-up pass's sample); day 3 holds the two samples of the first passes.
    clock.at = T0 + 121 * HOUR + 5 * 60_000;
    await t.engine.warehouse.run();
    const rows = (view: 'vireo_storage_domain_hourly' | 'vireo_storage_domain_daily') =>
      t.engine.db.$queryRawUnsafe<Record<string, unknown>[]>(
        `SELECT storage_domain_name, storage_type, data_center_name, period_start, samples, last_sampled_at,
           used_bytes_avg, used_bytes_max, capacity_bytes_avg, capacity_bytes_min
         FROM ${view} WHERE storage_domain_name = 'dwh1-data' ORDER BY period_start`,
      );
    const figures = { used_bytes_avg: 0, used_bytes_max: 0, capacity_bytes_avg: 100 * GiB, capacity_bytes_min: 100 * GiB };
    const named = { storage_domain_name: 'dwh1-data', storage_type: 'NFS', data_center_name: 'dwh1-dc' };
    expect(await rows('vireo_storage_domain_hourly')).toEqual([
      {
        ...named,
        period_start: new Date(T0 + 120 * HOUR),
        samples: 1,
        last_sampled_at: new Date(T0 + 120 * HOUR + 30 * 60_000),
        ...figures,
      },
    ]);
    expect(await rows('vireo_storage_domain_daily')).toEqual([
      { ...named, period_start: new Date(T0 + 72 * HOUR), samples: 2, last_sampled_at: new Date(T0 + 72 * HOUR + 5 * 60_000), ...figures },
    ]);
  });
});
