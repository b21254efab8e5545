// The balancer through the API, with simulated hosts whose guests are told how busy they are and
// an engine clock running 60× (a minute of CPU history in a second): balancePlan says what it
// would do and why and changes nothing; a cycle carries it out, each move an event; a VM moved is
// left alone for a while.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { act, addVm, jobEnds, startLab, type Lab } from './lifecycleSupport.ts';
import { Balancer } from '../../server/balancer/balancer.ts';

const SPEED = 60;
const started = Date.now();
const now = () => new Date(started + (Date.now() - started) * SPEED);

let t: TestEngine;
let lab: Lab;
let balancer: Balancer;

beforeAll(async () => {
  t = await startTestEngine({
    // Host silence is judged on the fast clock too: an hour of it is a minute here.
    engine: { monitoring: { now, timeoutMs: 3_600_000 }, balancer: { intervalMs: 400, quietMs: 5_000, maxMigrations: 3 } },
  });
  lab = await startLab(t, 'bal', 3);
  await mutate(t, 'updateCluster', { id: lab.clusterGid, cpuOverloadMinutes: 1, schedulingPolicy: 'NONE' }, 'cluster');
  balancer = new Balancer(t.engine);
});
afterAll(async () => {
  await balancer.stop();
  await lab.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

const PLAN = `query($c: ID!) { balancePlan(cluster: $c) { policy notes
  moves { vmName sourceName destinationName kind reason vm { name } }
  hosts { name cpuPercent vmCount load } } }`;
async function plan() {
  const res = await t.gql(PLAN, { c: lab.clusterGid });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.balancePlan;
}
async function hostOf(gid: string): Promise<string | null> {
  return (await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { host { name } } } }', { id: gid })).data.node.host?.name ?? null;
}
/** A running VM on the lab's host i, its guest held at `cpu` %. */
async function runOn(name: string, i: number, cpu: number, extra: Record<string, unknown> = {}) {
  const vm = await addVm(t, lab, name, extra);
  for (const h of lab.hosts) h.driver.inject({ kind: 'cpuLoad', vmId: vm.id, percent: cpu });
  const r = await act(t, 'runVm', { id: vm.gid, host: lab.hosts[i]!.gid });
  expect((await jobEnds(t, r.result.job.id)).status).toBe('FINISHED');
  return vm;
}
async function stopAll() {
  await vi.waitFor(async () => expect(await t.engine.db.job.count({ where: { status: 'STARTED' } })).toBe(0), { timeout: 30_000 });
  const res = await t.gql('{ vms(first: 100) { edges { node { id status } } } }');
  for (const { node } of res.data.vms.edges)
    if (node.status !== 'DOWN') expect((await jobEnds(t, (await act(t, 'stopVm', { id: node.id })).result.job.id)).status).toBe('FINISHED');
}
async function balancerEvents() {
  const res = await t.gql('{ events(first: 20, filter: { messageContains: "Balancing cluster" }) { edges { node { code message } } } }');
  return res.data.events.edges.map((e: { node: { code: string; message: string } }) => e.node);
}

describe('evenly_distributed', () => {
  it('moves a busy VM off a host whose CPU stayed over the threshold, once, saying why', async () => {
    const hot1 = await runOn('hot1', 0, 100, { cpuCores: 8 });
    const hot2 = await runOn('hot2', 0, 100, { cpuCores: 8 });
    await mutate(t, 'updateCluster', { id: lab.clusterGid, schedulingPolicy: 'EVENLY_DISTRIBUTED' }, 'cluster');
    // Over 80 % for a (fast) minute: the plan says so, and asking moves nothing.
    const p = await vi.waitFor(
      async () => {
        const p = await plan();
        expect(p.moves).toHaveLength(1);
        return p;
      },
      { timeout: 15_000, interval: 300 },
    );
    expect(p.policy).toBe('evenly_distributed');
    expect(p.hosts.find((h: { name: string }) => h.name === 'bal-h1')).toMatchObject({ load: 'OVER_USED', vmCount: 2 });
    const [m] = p.moves;
    expect(m).toMatchObject({ sourceName: 'bal-h1', kind: 'CPU_OVERLOAD', vm: { name: m.vmName } });
    expect(['bal-h2', 'bal-h3']).toContain(m.destinationName);
    expect(m.reason).toMatch(/^host bal-h1's CPU has been above 80 % for 1 min \(\d+ % on average\); host bal-h[23] is at \d+ %\.$/);
    expect([await hostOf(hot1.gid), await hostOf(hot2.gid)]).toEqual(['bal-h1', 'bal-h1']);

    balancer.start();
    await vi.waitFor(async () => expect(new Set([await hostOf(hot1.gid), await hostOf(hot2.gid)]).size).toBe(2), {
      timeout: 20_000,
      interval: 300,
    });
    const events = await balancerEvents();
    expect(events).toHaveLength(1);
    expect(events[0].code).toBe('BALANCER_MIGRATE_VM');
    expect(events[0].message).toMatch(
      /^Balancing cluster bal-cluster \(evenly_distributed\): migrating VM hot[12] from host bal-h1 to host bal-h[23]: host bal-h1's CPU has been above 80 %/,
    );
    // No flapping: the moved VM is left alone, and neither host is over-used any more.
    const after = await plan();
    expect(after.moves).toEqual([]);
    expect(after.notes.some((n: string) => /^VM hot[12] was migrated lately; it is left alone until/.test(n))).toBe(true);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await balancerEvents()).toHaveLength(1);
    await balancer.stop();
    await stopAll();
  });
});

describe('vm_evenly_distributed', () => {
  it('spreads VM counts down to the allowed difference, a few per cycle', async () => {
    await mutate(t, 'updateCluster', { id: lab.clusterGid, schedulingPolicy: 'VM_EVENLY_DISTRIBUTED', maxVmCountDifference: 2 }, 'cluster');
    const vms = [];
    for (let i = 0; i < 5; i++) vms.push(await runOn(`count${i}`, 0, 5, { memoryMb: 1024, guaranteedMemoryMb: 1024 }));
    const p = await plan();
    expect(p.hosts.map((h: { vmCount: number }) => h.vmCount)).toEqual([5, 0, 0]);
    expect(p.moves.map((m: { kind: string; sourceName: string }) => [m.kind, m.sourceName])).toEqual([
      ['VM_COUNT', 'bal-h1'],
      ['VM_COUNT', 'bal-h1'],
    ]);
    expect(p.moves[0].reason).toBe("host bal-h1 runs 5 VMs, more than 2 over host bal-h2's 0.");
    await balancer.cycle();
    await vi.waitFor(
      async () => {
        const hosts = (await plan()).hosts.map((h: { vmCount: number }) => h.vmCount);
        expect(hosts).toEqual([3, 1, 1]);
      },
      { timeout: 30_000, interval: 300 },
    );
    await stopAll();
  });
});

describe('power_saving', () => {
  it('empties the under-used host with the fewest VMs onto a busier one', async () => {
    await mutate(t, 'updateCluster', { id: lab.clusterGid, schedulingPolicy: 'POWER_SAVING' }, 'cluster');
    const lone = await runOn('lone', 0, 5);
    await runOn('pair1', 1, 5);
    await runOn('pair2', 1, 5);
    const m = await vi.waitFor(
      async () => {
        const moves = (await plan()).moves;
        expect(moves).toHaveLength(1);
        return moves[0];
      },
      { timeout: 15_000, interval: 300 },
    );
    expect(m).toMatchObject({ vmName: 'lone', sourceName: 'bal-h1', destinationName: 'bal-h2', kind: 'POWER_SAVING' });
    expect(m.reason).toBe("host bal-h1's CPU has averaged below 20 % for 1 min: emptying it; host bal-h2 takes it.");
    await vi.waitFor(
      async () => {
        await balancer.cycle();
        expect(await hostOf(lone.gid)).toBe('bal-h2');
      },
      { timeout: 30_000, interval: 1000 },
    );
    await stopAll();
  });
});

describe('affinity repair', () => {
  it('brings the VMs of a broken soft positive group together, under any policy', async () => {
    await mutate(t, 'updateCluster', { id: lab.clusterGid, schedulingPolicy: 'NONE' }, 'cluster');
    const a = await runOn('friend-a', 0, 5);
    const b = await runOn('friend-b', 1, 5);
    await mutate(
      t,
      'addAffinityGroup',
      { cluster: lab.clusterGid, name: 'friends', vmPolarity: 'POSITIVE', vms: [a.gid, b.gid] },
      'affinityGroup',
    );
    const p = await plan();
    expect(p.notes).toContain('Policy none: no load balancing (affinity is still repaired).');
    expect(p.moves).toHaveLength(1);
    expect(p.moves[0]).toMatchObject({ kind: 'AFFINITY', vmName: 'friend-a', destinationName: 'bal-h2' });
    expect(p.moves[0].reason).toBe(
      'affinity repair: host bal-h1 runs no VM of affinity group friends (VMs together, soft); friend-b run on bal-h2. Host bal-h2 keeps the rule.',
    );
    await balancer.cycle();
    await vi.waitFor(async () => expect(await hostOf(a.gid)).toBe('bal-h2'), { timeout: 20_000, interval: 300 });
    expect((await plan()).moves).toEqual([]);
    await stopAll();
  });
});

it('refuses a cluster one may not see, or that does not exist', async () => {
  const res = await t.gql(PLAN, { c: Buffer.from('Cluster:00000000-0000-0000-0000-000000000000').toString('base64') });
  expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});
