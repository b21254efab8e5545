// What happens when hosts go silent, through the API with simulated hosts: soft fencing brings
// back a host whose agent hung; hard fencing restarts a dead host through its fence agent and its
// HA VMs start elsewhere by priority; and the rules that keep a slow engine from fencing healthy
// hosts: silence judged by report arrival with the queue behind, fencing held back while behind,
// and skipped when too many of a cluster's hosts are NonResponsive at once.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { hostStatus, untilNonResponsive } from '../support/watchdogWait.ts';
import { SIM_FENCE_DIR, SIM_FENCE_TYPE, startSimulatedBmc, type SimulatedBmc } from '../../demo/simulatedBmc.ts';
import { act, addVm, hostGid, jobEnds, startLab, vmRow, type Lab } from '../vm/lifecycleSupport.ts';
import { startHighAvailability, type HighAvailability } from '../../server/ha/highAvailability.ts';
import { mutate } from '../support/inventory.ts';

/** Cases that wait for a host to be judged, fenced and Up again in turn: their waits add up past the default 60 s. */
const LONG_CASE_MS = 150_000;

let t: TestEngine;
let lab: Lab;
let bmc: SimulatedBmc;
let ha: HighAvailability;

const status = (i: number) => hostStatus(t, lab.hosts[i]!.id);
const nonResponsive = (i: number) => untilNonResponsive(t, lab.hosts[i]!.id);

async function hostEvents(i: number) {
  return (await t.engine.db.auditLog.findMany({ where: { hostId: lab.hosts[i]!.id }, orderBy: { createdAt: 'asc' } })).map((e) => ({
    code: e.code,
    message: e.message,
  }));
}

async function runOn(name: string, i: number, extra: Record<string, unknown> = {}) {
  const vm = await addVm(t, lab, name, { memoryMb: 512, guaranteedMemoryMb: 512, cpuCores: 1, ...extra });
  expect((await jobEnds(t, (await act(t, 'runVm', { id: vm.gid, host: hostGid(lab.hosts[i]!.id) })).result.job.id)).status).toBe(
    'FINISHED',
  );
  return vm;
}

/** Holds monitoring's one transaction slot (embedded database; on PostgreSQL all ten): the engine falls behind with reports. */
function slowEngine() {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const held = Array.from({ length: t.engine.monitoring.queue.limit }, (_, k) => t.engine.monitoring.queue.run(`slow-${k}`, () => gate));
  return async () => {
    release();
    await Promise.all(held);
  };
}

async function addAgent(i: number) {
  await mutate(
    t,
    'addFenceAgent',
    {
      host: lab.hosts[i]!.gid,
      type: SIM_FENCE_TYPE,
      address: bmc.address,
      port: lab.hosts[i]!.name,
      username: 'root',
      password: 'calvin-9',
      options: bmc.options,
    },
    'fenceAgent',
  );
}

beforeAll(async () => {
  t = await startTestEngine({
    engine: { monitoring: { timeoutMs: 1500, maxReportLagMs: 3000 }, fencing: { searchPath: [SIM_FENCE_DIR], timeoutMs: 20_000 } },
  });
  lab = await startLab(t, 'nr', 4);
  bmc = await startSimulatedBmc({ username: 'root', password: 'calvin-9' });
  for (const h of lab.hosts) bmc.plug(h.name, h.plug);
  for (const i of [0, 1, 2, 3]) await addAgent(i);
  ha = startHighAvailability(t.engine, {
    fencing: { softFenceWaitMs: 8000, recheckMs: 300, backoffMs: () => 300, graceMs: 3000 },
    restarts: { backoffMs: () => 300, pollMs: 100, parallel: 1 },
  });
});

afterAll(async () => {
  await ha.stop();
  await lab.stop();
  await bmc.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

describe('a slow engine fences no healthy host', () => {
  it('judges silence by arrival: while reports wait in its queue, no host is declared NonResponsive', async () => {
    const resume = slowEngine();
    // Longer than the timeout: each agent has one report waiting, sent before the engine stalled.
    await new Promise((r) => setTimeout(r, t.engine.monitoring.maxLagMs + 1000));
    expect(t.engine.monitoring.reportLagMs()).toBeGreaterThan(t.engine.monitoring.maxLagMs);
    expect(await t.engine.monitoring.watchdog.check()).toEqual([]);
    await resume();
    await vi.waitFor(async () => expect(t.engine.monitoring.reportLagMs()).toBe(0), { timeout: 10_000 });
    expect(await t.engine.monitoring.watchdog.check()).toEqual([]);
    expect(await t.engine.db.host.count({ where: { status: 'UP' } })).toBe(4);
    expect(await t.engine.db.auditLog.count({ where: { code: 'VDS_FAILURE' } })).toBe(0);
  });
});

describe('soft fencing', () => {
  it('a host whose agent hangs but stays connected is brought back by restarting its agent; its VMs never moved', async () => {
    const vm = await runOn('nr-soft', 0);
    lab.hosts[0]!.driver.inject({ kind: 'hangStats' });
    await nonResponsive(0);
    await vi.waitFor(async () => expect(await status(0)).toBe('UP'), { timeout: 20_000, interval: 100 });
    await ha.fencer.idle();
    const codes = (await hostEvents(0)).map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['VDS_FAILURE', 'VDS_SOFT_FENCE_STARTED', 'VDS_SOFT_FENCE_SUCCEEDED']));
    expect(codes).not.toContain('VDS_HARD_FENCE_STARTED');
    expect(bmc.requests.filter((r) => r.plug === 'nr-h1' && r.action !== 'status')).toEqual([]);
    expect(await vmRow(t, vm.id)).toMatchObject({ status: 'UP', hostId: lab.hosts[0]!.id });
  });
});

describe('hard fencing', () => {
  it('a dead host is restarted through its fence agent; its HA VMs start again, highest priority first; the others go Down', async () => {
    const h = lab.hosts[1]!;
    const low = await runOn('nr-low', 1, { highlyAvailable: true, haPriority: 10 });
    const high = await runOn('nr-high', 1, { highlyAvailable: true, haPriority: 90 });
    const mid = await runOn('nr-mid', 1, { highlyAvailable: true, haPriority: 50 });
    const plain = await runOn('nr-plain', 1);
    await h.agent.stop(); // the agent dies; the machine is still on
    await nonResponsive(1);
    // Up, and the restart's event written (a moment after the VM came Up).
    await vi.waitFor(
      async () => {
        for (const vm of [low, mid, high]) {
          expect((await vmRow(t, vm.id)).status).toBe('UP');
          expect(await t.engine.db.auditLog.count({ where: { vmId: vm.id, code: 'HA_VM_RESTARTED' } })).toBeGreaterThan(0);
        }
      },
      { timeout: 30_000, interval: 100 },
    );
    // Each ran again once, wherever the scheduler put it (the restarted host, back empty, is a candidate too).
    for (const vm of [low, mid, high])
      expect(await t.engine.db.auditLog.count({ where: { vmId: vm.id, code: 'HA_VM_RESTARTED' } })).toBe(1);
    expect(await vmRow(t, plain.id)).toMatchObject({ status: 'DOWN', hostId: null });
    // The BMC powered it off, saw it off, and on again.
    expect(bmc.requests.filter((r) => r.plug === 'nr-h2' && r.action !== 'status').map((r) => r.action)).toEqual(['off', 'on']);
    const events = await hostEvents(1);
    const codes = events.map((e) => e.code);
    expect(codes.indexOf('VDS_FAILURE')).toBeLessThan(codes.indexOf('VDS_SOFT_FENCE_FAILED'));
    expect(codes.indexOf('VDS_SOFT_FENCE_FAILED')).toBeLessThan(codes.indexOf('VDS_HARD_FENCE_STARTED'));
    expect(codes.indexOf('VDS_HARD_FENCE_STARTED')).toBeLessThan(codes.indexOf('FENCE_HOST_REBOOT'));
    expect(events.find((e) => e.code === 'FENCE_HOST_REBOOT')!.message).toBe(
      'Host nr-h2 was restarted through fence_vireo_sim at 127.0.0.1 port nr-h2 by SYSTEM; 4 VM(s) on it were set Down.',
    );
    // Highest priority first.
    const restarting = await t.engine.db.auditLog.findMany({ where: { code: 'HA_VM_RESTARTING' }, orderBy: { createdAt: 'asc' } });
    expect(restarting.map((e) => e.vmId)).toEqual([high.id, mid.id, low.id]);
    // The restarted host comes back Up, empty.
    await vi.waitFor(async () => expect(await status(1)).toBe('UP'), { timeout: 20_000, interval: 100 });
  });

  it('an HA VM whose restart fails is tried again after a back-off, each attempt an event', async () => {
    const big = await runOn('nr-big', 2, { highlyAvailable: true });
    // Every other host fails its next start (qemu cannot allocate memory): the first attempts fail.
    for (const i of [0, 1, 3]) lab.hosts[i]!.driver.inject({ kind: 'failNextStart' });
    await lab.hosts[2]!.agent.stop();
    await nonResponsive(2);
    await vi.waitFor(
      async () => expect(await t.engine.db.auditLog.count({ where: { code: 'HA_VM_RESTART_FAILED' } })).toBeGreaterThanOrEqual(1),
      { timeout: 30_000, interval: 100 },
    );
    const failed = await t.engine.db.auditLog.findFirstOrThrow({ where: { code: 'HA_VM_RESTART_FAILED' } });
    expect(failed.message).toMatch(
      /^Highly available VM nr-\w+ could not be restarted \(attempt 1\): Failed to run VM: host nr-h\d: qemu-kvm: failed to allocate memory\. Next attempt in \d+ s\.$/,
    );
    // Later attempts start every HA VM the fenced host had.
    await vi.waitFor(async () => expect(await t.engine.db.vm.count({ where: { highlyAvailable: true, status: { not: 'UP' } } })).toBe(0), {
      timeout: 30_000,
      interval: 100,
    });
    expect((await vmRow(t, big.id)).status).toBe('UP');
  });
});

describe('fencing held back', () => {
  it(
    'while the engine is behind with reports, a NonResponsive host is not fenced; once it catches up, it is',
    async () => {
      const h = lab.hosts[3]!;
      await h.agent.stop();
      const resume = slowEngine();
      // Silent past the timeout, but the engine is behind: the watchdog judges no one.
      await new Promise((r) => setTimeout(r, 3500));
      expect(await t.engine.monitoring.watchdog.check()).toEqual([]);
      await resume();
      await nonResponsive(3);
      await vi.waitFor(async () => expect((await hostEvents(3)).map((e) => e.code)).toContain('FENCE_HOST_REBOOT'), { timeout: 30_000 });
      await vi.waitFor(async () => expect(await status(3)).toBe('UP'), { timeout: 20_000, interval: 100 });
    },
    LONG_CASE_MS,
  );

  it(
    'is skipped while more than the cluster’s share of its hosts are NonResponsive at once',
    async () => {
      await ha.fencer.idle();
      const before = bmc.requests.length;
      // Lost together (a switch fails): all three fall silent at once.
      await Promise.all([1, 2, 3].map((i) => lab.hosts[i]!.agent.stop()));
      await vi.waitFor(
        async () => {
          await t.engine.monitoring.watchdog.check();
          expect(await t.engine.db.host.count({ where: { status: 'NON_RESPONSIVE' } })).toBe(3);
        },
        { timeout: 20_000, interval: 200 },
      );
      const share = {
        code: 'VDS_FENCE_SKIPPED',
        message: { contains: '3 of 4 hosts of cluster nr-cluster are non responsive, more than 50%' },
      } as const;
      await vi.waitFor(async () => expect(await t.engine.db.auditLog.count({ where: share })).toBe(3), { timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 1000));
      expect(bmc.requests.slice(before).filter((r) => r.action !== 'status')).toEqual([]);
      // An administrator who knows better raises the share: the hosts are fenced.
      const cluster = await t.engine.db.cluster.findFirstOrThrow({ where: { name: 'nr-cluster' } });
      await mutate(t, 'updateCluster', { id: lab.clusterGid, fencingSkipPercent: 80 }, 'cluster');
      expect((await t.engine.db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).fencingSkipPercent).toBe(80);
      await vi.waitFor(async () => expect(await t.engine.db.host.count({ where: { status: 'UP' } })).toBe(4), {
        timeout: 40_000,
        interval: 200,
      });
    },
    LONG_CASE_MS,
  );
});

describe('an administrator’s power-off', () => {
  it(
    'sticks: a host powered off from maintenance is neither judged NonResponsive nor fenced back on',
    async () => {
      await ha.fencer.idle();
      const i = 0;
      const h = lab.hosts[i]!;
      // Back Up from the earlier cases (a fenced host reboots) before it goes to maintenance.
      await vi.waitFor(async () => expect(await status(i)).toBe('UP'), { timeout: 30_000, interval: 100 });
      // HA restarts of the earlier case may still be powering VMs up there; only Up VMs migrate away.
      await vi.waitFor(
        async () => expect(await t.engine.db.vm.count({ where: { highlyAvailable: true, status: { not: 'UP' } } })).toBe(0),
        {
          timeout: 30_000,
          interval: 100,
        },
      );
      const maintenance = await act(t, 'maintenanceHost', { id: h.gid });
      expect(maintenance.__typename, JSON.stringify(maintenance)).toBe('MutationMaintenanceHostSuccess');
      expect((await jobEnds(t, maintenance.result.job.id, 30_000)).status).toBe('FINISHED');
      const before = bmc.requests.length;
      const off = await t.gql(
        `mutation($i: FenceHostInput!) { fenceHost(input: $i) { __typename ... on MutationFenceHostSuccess { result { power host { status poweredOff } } } } }`,
        { i: { host: h.gid, action: 'OFF' } },
      );
      expect(off.data.fenceHost.result).toEqual({ power: 'OFF', host: { status: 'MAINTENANCE', poweredOff: true } });
      expect(h.plug.power()).toBe('OFF');
      // Well past the silence timeout, the fencer's grace and a hard fencing attempt.
      for (const end = Date.now() + 8000; Date.now() < end; ) {
        await t.engine.monitoring.watchdog.check();
        await new Promise((r) => setTimeout(r, 200));
      }
      await ha.fencer.idle();
      expect(await status(i)).toBe('MAINTENANCE');
      expect(h.plug.power()).toBe('OFF');
      expect(bmc.requests.slice(before).filter((r) => r.action !== 'status')).toEqual([{ action: 'off', plug: h.name }]);
      const codes = (await hostEvents(i)).map((e) => e.code);
      expect(codes.slice(codes.lastIndexOf('FENCE_HOST_OFF'))).toEqual(['FENCE_HOST_OFF']);
      // Powered on by the administrator, it says hello and stays in maintenance, no longer marked off.
      const on = await t.gql(`mutation($i: FenceHostInput!) { fenceHost(input: $i) { __typename } }`, { i: { host: h.gid, action: 'ON' } });
      expect(on.data.fenceHost.__typename).toBe('MutationFenceHostSuccess');
      await vi.waitFor(async () => expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: h.id } })).poweredOff).toBe(false), {
        timeout: 20_000,
        interval: 100,
      });
      expect(await status(i)).toBe('MAINTENANCE');
    },
    LONG_CASE_MS,
  );
});
