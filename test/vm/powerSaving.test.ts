// Power saving through the API, with simulated hosts whose power is a plug of the simulated BMC
// the test suite's fence agent (fence_vireo_sim) drives, and an engine clock the test moves
// forward instead of waiting: under power_saving an empty host beyond the cluster's spares is put
// into maintenance and powered off once it has been empty for the cluster's idle time (balancePlan
// says so first and changes nothing), and when placement finds no room (runVm, migrateVm, a host's
// evacuation, an HA restart) a host power saving powered off is powered on, waited for and used;
// each step an event. A host an administrator powered off is not power saving's to power on.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { SIM_FENCE_DIR, SIM_FENCE_TYPE, startSimulatedBmc, type SimulatedBmc } from '../../demo/simulatedBmc.ts';
import { act, addVm, jobEnds, startLab, type Lab } from './lifecycleSupport.ts';
import { Balancer } from '../../server/balancer/balancer.ts';
import { HaRestarter } from '../../server/ha/haRestarter.ts';

let shift = 0;
const now = () => new Date(Date.now() + shift);
/** Moves the engine's clock forward. */
const later = (minutes: number) => {
  shift += minutes * 60_000;
};

let t: TestEngine;
let lab: Lab;
let bmc: SimulatedBmc;
let balancer: Balancer;
let ha: HaRestarter;
const GIB = 1024;

beforeAll(async () => {
  t = await startTestEngine({
    engine: {
      // The watchdog is not run here; host silence would be judged on the moved clock.
      monitoring: { now, timeoutMs: 24 * 3_600_000 },
      fencing: { searchPath: [SIM_FENCE_DIR], timeoutMs: 20_000 },
      balancer: { intervalMs: 3_600_000, quietMs: 1000 },
      powerOnTimeoutMs: 30_000,
    },
  });
  lab = await startLab(t, 'ps', 3);
  bmc = await startSimulatedBmc({ username: 'root', password: 'bmc-ps-4471' });
  for (const h of lab.hosts) {
    bmc.plug(h.name, h.plug);
    await mutate(
      t,
      'addFenceAgent',
      {
        host: h.gid,
        type: SIM_FENCE_TYPE,
        address: bmc.address,
        port: h.name,
        username: 'root',
        password: 'bmc-ps-4471',
        options: bmc.options,
      },
      'fenceAgent',
    );
  }
  await mutate(
    t,
    'updateCluster',
    { id: lab.clusterGid, schedulingPolicy: 'POWER_SAVING', powerSavingSpareHosts: 1, powerSavingIdleMinutes: 10 },
    'cluster',
  );
  balancer = new Balancer(t.engine);
  ha = new HaRestarter(t.engine, { backoffMs: () => 200, pollMs: 100 });
  ha.start();
});

afterAll(async () => {
  await ha.stop();
  await balancer.stop();
  await lab.stop();
  await bmc.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

const PLAN = `query($c: ID!) { balancePlan(cluster: $c) { policy notes moves { vmName } powerOffs { hostName reason host { name status } } } }`;
async function plan() {
  const res = await t.gql(PLAN, { c: lab.clusterGid });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.balancePlan;
}
async function hosts(): Promise<Record<string, { status: string; powerSavingOff: boolean; statusReason: string }>> {
  const res = await t.gql(
    `query($c: ID!) { node(id: $c) { ... on Cluster { hosts(first: 10) { edges { node {
    name status statusReason powerSavingOff } } } } } }`,
    { c: lab.clusterGid },
  );
  return Object.fromEntries(
    res.data.node.hosts.edges.map(({ node }: { node: { name: string; status: string; powerSavingOff: boolean; statusReason: string } }) => [
      node.name,
      node,
    ]),
  );
}
/** Power saving's events, oldest first, as the event log shows them. */
async function powerSavingEvents(): Promise<{ code: string; message: string }[]> {
  const res = await t.gql(
    '{ events(first: 50, filter: { messageContains: "Power saving in cluster" }) { edges { node { code message } } } }',
  );
  return res.data.events.edges.map((e: { node: { code: string; message: string } }) => e.node).reverse();
}
async function hostOf(gid: string): Promise<string | null> {
  return (
    (await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { status host { name } } } }', { id: gid })).data.node.host?.name ?? null
  );
}
const vmGids = new Map<string, string>();
async function addBig(name: string) {
  const vm = await addVm(t, lab, name, { memoryMb: 12 * GIB, guaranteedMemoryMb: 12 * GIB, cpuCores: 1 });
  vmGids.set(name, vm.gid);
  return vm;
}
async function runBig(name: string, host?: string) {
  const vm = await addBig(name);
  const r = await act(t, 'runVm', { id: vm.gid, ...(host ? { host } : {}) });
  return { vm, r };
}
/** An administrator powers the host on (fenceHost ON); Up and empty, power saving powers it off again. */
async function poweredOnThenOffAgain(i: number) {
  const on = await t.gql('mutation($i: FenceHostInput!) { fenceHost(input: $i) { __typename } }', {
    i: { host: lab.hosts[i]!.gid, action: 'ON' },
  });
  expect(on.data.fenceHost.__typename).toBe('MutationFenceHostSuccess');
  const name = lab.hosts[i]!.name;
  await vi.waitFor(async () => expect((await hosts())[name]!.status).toBe('UP'), { timeout: 20_000, interval: 100 });
  await idleAndCycle();
  expect((await hosts())[name]).toMatchObject({ status: 'DOWN', powerSavingOff: true });
}
/** Two cycles the idle time apart: the first sees the hosts empty, the second powers off what the plan says. */
async function idleAndCycle() {
  await balancer.cycle();
  later(11);
  await balancer.cycle();
}

describe('powering off', () => {
  it('an empty host beyond the spare is powered off once empty for the idle time; the plan says so first', async () => {
    const { r } = await runBig('ps-a', lab.hosts[0]!.gid);
    expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
    await balancer.cycle();
    // Empty since this cycle: not yet.
    let p = await plan();
    expect(p.powerOffs).toEqual([]);
    expect(p.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Host ps-h2 runs no VM; it is powered off once it has run none for 10 min \(at /)]),
    );
    later(11);
    p = await plan();
    expect(p.powerOffs).toEqual([
      {
        hostName: 'ps-h2',
        reason: 'host ps-h2 has run no VM for 11 min and the cluster keeps 1 spare Up host: it is put into maintenance and powered off.',
        host: { name: 'ps-h2', status: 'UP' },
      },
    ]);
    expect(p.notes).toContain('Host ps-h3 runs no VM and stays Up: the cluster keeps 1 spare Up host.');
    // Asking changed nothing.
    expect(lab.hosts[1]!.plug.power()).toBe('ON');

    await balancer.cycle();
    expect(lab.hosts[1]!.plug.power()).toBe('OFF');
    expect(lab.hosts[2]!.plug.power()).toBe('ON');
    const h = await hosts();
    expect(h['ps-h2']).toMatchObject({
      status: 'DOWN',
      powerSavingOff: true,
      statusReason: `powered off by power saving through fence_${SIM_FENCE_TYPE} at 127.0.0.1 port ps-h2`,
    });
    expect(h['ps-h3']).toMatchObject({ status: 'UP', powerSavingOff: false });
    expect(await powerSavingEvents()).toEqual([
      {
        code: 'POWER_SAVING_HOST_POWERING_OFF',
        message:
          'Power saving in cluster ps-cluster: host ps-h2 has run no VM for 11 min and the cluster keeps 1 spare Up host: it is put into maintenance and powered off.',
      },
      {
        code: 'POWER_SAVING_HOST_POWERED_OFF',
        message: `Power saving in cluster ps-cluster: host ps-h2 was powered off through fence_${SIM_FENCE_TYPE} at 127.0.0.1 port ps-h2; it is powered on again when no Up host has room for a VM.`,
      },
    ]);
    const codes = (await t.engine.db.auditLog.findMany({ where: { hostId: lab.hosts[1]!.id }, orderBy: { createdAt: 'asc' } })).map(
      (e) => e.code,
    );
    expect(codes).toEqual(expect.arrayContaining(['VDS_MAINTENANCE', 'FENCE_HOST_OFF']));
    // The spare stays: nothing more to power off.
    later(11);
    p = await plan();
    expect(p.powerOffs).toEqual([]);
    expect(p.notes).toContain('1 Up host runs no VM; the cluster keeps 1 spare Up host, so none is powered off.');
  });
});

describe('powering on for placement', () => {
  it('runVm with no room powers on the host power saving powered off, waits for it and runs the VM there', async () => {
    // ps-h1 runs ps-a (12 of 16 GiB); the spare ps-h3 takes ps-b; ps-c fits nowhere Up.
    const b = await runBig('ps-b');
    expect((await jobEnds(t, b.r.result.job.id)).status).toBe('FINISHED');
    expect(await hostOf(b.vm.gid)).toBe('ps-h3');
    const c = await addBig('ps-c');
    // The dry run counts the powered-off host in.
    const can = await t.gql('query($i: RunVmInput!) { canRunVm(input: $i) { allowed reasons { code } } }', { i: { id: c.gid } });
    expect(can.data.canRunVm).toEqual({ allowed: true, reasons: [] });
    const started = Date.now();
    const r = await act(t, 'runVm', { id: c.gid });
    const seconds = (Date.now() - started) / 1000;
    expect(r.__typename).toBe('MutationRunVmSuccess');
    expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
    console.log(`power-on for placement: runVm answered after ${seconds.toFixed(1)} s (the host powered on and Up in between)`);
    expect(await hostOf(c.gid)).toBe('ps-h2');
    expect(lab.hosts[1]!.plug.power()).toBe('ON');
    expect((await hosts())['ps-h2']).toMatchObject({ status: 'UP', powerSavingOff: false });
    const events = (await powerSavingEvents()).slice(-2);
    expect(events.map((e) => e.code)).toEqual(['POWER_SAVING_HOST_POWERING_ON', 'POWER_SAVING_HOST_POWERED_ON']);
    expect(events[0]!.message).toBe(
      'Power saving in cluster ps-cluster: no Up host can run VM ps-c; powering on host ps-h2, which power saving powered off.',
    );
    expect(events[1]!.message).toMatch(
      /^Power saving in cluster ps-cluster: host ps-h2 is Up again [\d.]+ s after it was powered on, for VM ps-c\.$/,
    );
  });

  it('a migration with no room elsewhere powers a host on too', async () => {
    // ps-c stops and, with no spare kept, ps-h2 is powered off again once idle.
    const c = vmGids.get('ps-c')!;
    expect((await jobEnds(t, (await act(t, 'stopVm', { id: c })).result.job.id)).status).toBe('FINISHED');
    await mutate(t, 'updateCluster', { id: lab.clusterGid, powerSavingSpareHosts: 0 }, 'cluster');
    await idleAndCycle();
    expect((await hosts())['ps-h2']).toMatchObject({ status: 'DOWN', powerSavingOff: true });
    // ps-a (on ps-h1) has nowhere Up to go: ps-h3 runs ps-b.
    const a = vmGids.get('ps-a')!;
    const can = await t.gql('query($i: MigrateVmInput!) { canMigrateVm(input: $i) { allowed } }', { i: { id: a } });
    expect(can.data.canMigrateVm.allowed).toBe(true);
    const r = await act(t, 'migrateVm', { id: a });
    expect(r.__typename).toBe('MutationMigrateVmSuccess');
    expect((await jobEnds(t, r.result.job.id, 30_000)).status).toBe('FINISHED');
    expect(await hostOf(a)).toBe('ps-h2');
    const events = (await powerSavingEvents()).slice(-2);
    expect(events.map((e) => e.code)).toEqual(['POWER_SAVING_HOST_POWERING_ON', 'POWER_SAVING_HOST_POWERED_ON']);
    expect(events[0]!.message).toBe(
      'Power saving in cluster ps-cluster: no Up host can receive VM ps-a; powering on host ps-h2, which power saving powered off.',
    );
  });

  it('when the host cannot be powered on, the placement is refused and the event says why', async () => {
    // ps-h1 is empty now: powered off once idle. Then its BMC fails.
    await idleAndCycle();
    expect((await hosts())['ps-h1']).toMatchObject({ status: 'DOWN', powerSavingOff: true });
    bmc.failWith('the BMC does not answer');
    try {
      const d = await addBig('ps-d');
      const r = await act(t, 'runVm', { id: d.gid });
      expect(r.__typename).toBe('ValidationError');
      expect(r.reasons[0].code).toBe('VM_NO_HOST_AVAILABLE');
      const [on, failed] = (await powerSavingEvents()).slice(-2);
      expect(on!.code).toBe('POWER_SAVING_HOST_POWERING_ON');
      expect(failed).toMatchObject({ code: 'POWER_SAVING_HOST_POWER_ON_FAILED' });
      expect(failed!.message).toMatch(
        /^Power saving in cluster ps-cluster: host ps-h1 could not be powered on for VM ps-d: .*the BMC does not answer/,
      );
      // Left to an administrator: Down with the reason, no longer power saving's.
      expect((await hosts())['ps-h1']).toMatchObject({ status: 'DOWN', powerSavingOff: false });
      expect((await hosts())['ps-h1']!.statusReason).toMatch(/^power saving could not power it on: /);
      expect(lab.hosts[0]!.plug.power()).toBe('OFF');
    } finally {
      bmc.failWith(null);
    }
  });
});

describe('powering on for an evacuation', () => {
  it('a host put into maintenance whose VMs have no room on the Up hosts powers on a host power saving powered off', async () => {
    // ps-h1 was left Down by the failed power-on: an administrator powers it on; empty, power saving powers it off again.
    await poweredOnThenOffAgain(0);
    // ps-h2 runs ps-a (12 GiB), ps-h3 runs ps-b (12 GiB): ps-a fits on no Up host but ps-h2 itself.
    const a = vmGids.get('ps-a')!;
    expect(await hostOf(a)).toBe('ps-h2');
    const can = await t.gql('query($i: MaintenanceHostInput!) { canMaintenanceHost(input: $i) { allowed reasons { code } } }', {
      i: { id: lab.hosts[1]!.gid },
    });
    expect(can.data.canMaintenanceHost).toEqual({ allowed: true, reasons: [] });
    const started = Date.now();
    const r = await act(t, 'maintenanceHost', { id: lab.hosts[1]!.gid });
    expect(r.__typename).toBe('MutationMaintenanceHostSuccess');
    const answered = (Date.now() - started) / 1000;
    expect((await jobEnds(t, r.result.job.id, 30_000)).status).toBe('FINISHED');
    const done = (Date.now() - started) / 1000;
    console.log(`evacuation with a power-on: answered after ${answered.toFixed(1)} s, host in Maintenance after ${done.toFixed(1)} s`);
    expect(await hostOf(a)).toBe('ps-h1');
    expect(lab.hosts[0]!.plug.power()).toBe('ON');
    const h = await hosts();
    expect(h['ps-h1']).toMatchObject({ status: 'UP', powerSavingOff: false });
    expect(h['ps-h2']!.status).toBe('MAINTENANCE');
    const events = (await powerSavingEvents()).slice(-2);
    expect(events.map((e) => e.code)).toEqual(['POWER_SAVING_HOST_POWERING_ON', 'POWER_SAVING_HOST_POWERED_ON']);
    expect(events[0]!.message).toBe(
      'Power saving in cluster ps-cluster: no Up host can receive VM ps-a; powering on host ps-h1, which power saving powered off.',
    );
  });
});

describe('an administrator’s power-off', () => {
  it('takes a host from power saving: placement no longer powers it on', async () => {
    // ps-h2 (in maintenance, empty) is activated, then powered off by power saving once idle.
    expect(
      (await t.gql('mutation($i: ActivateHostInput!) { activateHost(input: $i) { __typename } }', { i: { id: lab.hosts[1]!.gid } })).data
        .activateHost.__typename,
    ).toBe('MutationActivateHostSuccess');
    await vi.waitFor(async () => expect((await hosts())['ps-h2']!.status).toBe('UP'), { timeout: 20_000, interval: 100 });
    await idleAndCycle();
    expect((await hosts())['ps-h2']).toMatchObject({ status: 'DOWN', powerSavingOff: true });
    // The administrator powers it off too: it is theirs now.
    const off = await t.gql(
      'mutation($i: FenceHostInput!) { fenceHost(input: $i) { __typename ... on MutationFenceHostSuccess { result { power host { status poweredOff powerSavingOff } } } } }',
      { i: { host: lab.hosts[1]!.gid, action: 'OFF' } },
    );
    expect(off.data.fenceHost.result).toEqual({ power: 'OFF', host: { status: 'DOWN', poweredOff: true, powerSavingOff: false } });
    const before = (await powerSavingEvents()).length;
    // ps-e fits on no Up host (ps-h1 and ps-h3 run 12 GiB each): refused, ps-h2 left off.
    const e = await addBig('ps-e');
    const can = await t.gql('query($i: RunVmInput!) { canRunVm(input: $i) { allowed reasons { code } } }', { i: { id: e.gid } });
    expect(can.data.canRunVm.allowed).toBe(false);
    const r = await act(t, 'runVm', { id: e.gid });
    expect(r.__typename).toBe('ValidationError');
    expect(r.reasons[0].code).toBe('VM_NO_HOST_AVAILABLE');
    expect(lab.hosts[1]!.plug.power()).toBe('OFF');
    expect((await powerSavingEvents()).length).toBe(before);
  });
});

describe('powering on for an HA restart', () => {
  it('a highly available VM of a host powered off as dead restarts on a host power saving powers on for it', async () => {
    // ps-h1 runs ps-ha (12 GiB, highly available) instead of ps-a; ps-h3 runs ps-b; ps-h2 is power saving's again.
    expect((await jobEnds(t, (await act(t, 'stopVm', { id: vmGids.get('ps-a')! })).result.job.id)).status).toBe('FINISHED');
    const vm = await addVm(t, lab, 'ps-ha', { memoryMb: 12 * GIB, guaranteedMemoryMb: 12 * GIB, cpuCores: 1, highlyAvailable: true });
    const run = await act(t, 'runVm', { id: vm.gid, host: lab.hosts[0]!.gid });
    expect((await jobEnds(t, run.result.job.id)).status).toBe('FINISHED');
    await poweredOnThenOffAgain(1);
    // ps-h1's agent dies: a day later by the engine's clock it is NonResponsive; the administrator powers it off.
    await lab.hosts[0]!.agent.stop();
    later(24 * 60 + 1);
    await new Promise((r) => setTimeout(r, 500)); // ps-h3 reports on the moved clock
    await vi.waitFor(
      async () => {
        await t.engine.monitoring.watchdog.check();
        expect((await hosts())['ps-h1']!.status).toBe('NON_RESPONSIVE');
      },
      { timeout: 10_000, interval: 200 },
    );
    expect((await hosts())['ps-h3']!.status).toBe('UP');
    const off = await t.gql('mutation($i: FenceHostInput!) { fenceHost(input: $i) { __typename } }', {
      i: { host: lab.hosts[0]!.gid, action: 'OFF' },
    });
    expect(off.data.fenceHost.__typename).toBe('MutationFenceHostSuccess');
    // The HA restart finds no Up host with room: power saving powers ps-h2 on and the VM runs there.
    await vi.waitFor(async () => expect(await hostOf(vm.gid)).toBe('ps-h2'), { timeout: 40_000, interval: 200 });
    await vi.waitFor(async () => expect(await t.engine.db.auditLog.count({ where: { vmId: vm.id, code: 'HA_VM_RESTARTED' } })).toBe(1), {
      timeout: 10_000,
    });
    const events = (await powerSavingEvents()).slice(-2);
    expect(events.map((e) => e.code)).toEqual(['POWER_SAVING_HOST_POWERING_ON', 'POWER_SAVING_HOST_POWERED_ON']);
    expect(events[0]!.message).toBe(
      'Power saving in cluster ps-cluster: no Up host can run VM ps-ha; powering on host ps-h2, which power saving powered off.',
    );
  });
});
