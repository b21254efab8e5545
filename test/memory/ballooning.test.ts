// MOM through the API with a simulated host: the cluster's policy reaches the agent, which
// takes memory back from a ballooned VM while the host is short (never below its guaranteed
// memory, never from a VM without ballooning), gives it back when the cluster turns ballooning
// off, switches KSM, and each change is an event; the host's free memory moves with it.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { addSimulatedHost, hostsUp, type SimHost } from '../support/simulatedHosts.ts';
import { act, FAST, jobEnds, vmReaches } from '../vm/lifecycleSupport.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let host: SimHost;
let clusterGid: string;
/** The ballooned VM of the cases below (10 GiB, 2 GiB guaranteed). */
let big: string;

/** The host's events of a code, newest first. */
async function events(code: string): Promise<{ message: string; vmId: string | null }[]> {
  const res = await t.gql(`query($filter: EventFilter) { events(filter: $filter, first: 100) { edges { node { message vmId } } } }`, {
    filter: { host: host.gid, code },
  });
  return res.data.events.edges.map((e: { node: unknown }) => e.node);
}

async function hostFreeMb(): Promise<number> {
  const res = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { statistics { memFreeMb } } } }`, { id: host.gid });
  return res.data.node.statistics.memFreeMb;
}

async function updateCluster(input: Record<string, unknown>) {
  const res = await t.gql(
    `mutation($input: UpdateClusterInput!) { updateCluster(input: $input) { __typename
      ... on ValidationError { reasons { code message } } ... on MutationUpdateClusterSuccess { cluster { ballooningEnabled } } } }`,
    { input: { id: clusterGid, ...input } },
  );
  return res.data.updateCluster;
}

async function runVm(name: string, memoryMb: number, guaranteedMemoryMb: number, ballooningEnabled: boolean) {
  const vm = await mutate(t, 'addVm', { name, cluster: clusterGid, memoryMb, guaranteedMemoryMb, ballooningEnabled }, 'vm');
  const run = await act(t, 'runVm', { id: vm.id });
  await jobEnds(t, run.result.job.id);
  const id = decodeGlobalID(vm.id).id;
  await vmReaches(t, id, 'UP');
  return id;
}

beforeAll(async () => {
  t = await startTestEngine();
  server = await t.listen();
  const inv = await buildInventory(t, 'mom');
  clusterGid = inv.cluster.id;
  host = await addSimulatedHost(t, server.url, clusterGid, 'mom-h1', { memoryMb: 16384, ...FAST }, 100, undefined, {
    memoryIntervalMs: 200,
  });
  await hostsUp(t, [host]);
});
afterAll(async () => {
  await host.agent.stop();
  await server.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

describe('MOM on a simulated host', () => {
  it('refuses a low threshold that is not under the high one', async () => {
    const r = await updateCluster({ ballooningLowFreePercent: 40, ballooningHighFreePercent: 30 });
    expect(r.reasons).toEqual([
      { code: 'CLUSTER_THRESHOLDS_INVALID', message: 'The low free-memory threshold (40 %) must be below the high one (30 %).' },
    ]);
  });

  it('takes memory back from ballooned VMs while the host is short, down to their guaranteed memory at most, and says so', async () => {
    // 3 GiB for the host itself + 10 GiB + 2 GiB of guests on 16 GiB: 6 % free, under the default 20 %.
    big = await runVm('mom-big', 10240, 2048, true);
    await runVm('mom-fixed', 2048, 1024, false);
    await vi.waitFor(async () => expect(await hostFreeMb()).toBeLessThan(1100), { timeout: 10_000 });
    expect(await events('VM_MEMORY_RECLAIMED')).toEqual([]); // ballooning is off in the cluster (the default)

    expect((await updateCluster({ ballooningEnabled: true, ksmEnabled: true })).__typename).toBe('MutationUpdateClusterSuccess');
    await vi.waitFor(async () => expect(await hostFreeMb()).toBeGreaterThan(0.2 * 16384), { timeout: 15_000 });
    const reclaimed = await events('VM_MEMORY_RECLAIMED');
    expect(reclaimed.length).toBeGreaterThan(0);
    expect(reclaimed.every((e) => e.vmId === big)).toBe(true);
    expect(reclaimed[0]!.message).toMatch(
      /^Host mom-h1 is short of memory \([\d.]+ % free, under 20 %\): the balloon of VM mom-big took \d+ MiB back, leaving it \d+ MiB \(guaranteed 2048 MiB\)\.$/,
    );
    // Between the thresholds (20–30 % free) it stops: no more than enough was taken, and never below the guarantee.
    const left = Number(/leaving it (\d+) MiB/.exec(reclaimed[0]!.message)![1]);
    expect(left).toBeGreaterThanOrEqual(2048);
    expect(left).toBeLessThan(10240);
    expect(await events('VDS_KSM_STARTED')).toHaveLength(1);
    expect(host.driver.ksmRunning).toBe(true);
  });

  it('gives the memory back when the cluster turns ballooning off, and stops the KSM it started', async () => {
    const before = await hostFreeMb();
    await updateCluster({ ballooningEnabled: false, ksmEnabled: false });
    await vi.waitFor(
      async () => {
        const returned = await events('VM_MEMORY_RETURNED');
        expect(returned[0]?.message).toMatch(
          /^Host mom-h1 gave VM mom-big \d+ MiB back through its balloon \(ballooning is off in its cluster\); it has 10240 MiB\.$/,
        );
      },
      { timeout: 15_000 },
    );
    await vi.waitFor(async () => expect(await hostFreeMb()).toBeLessThan(before), { timeout: 5000 });
    await vi.waitFor(async () => expect(await events('VDS_KSM_STOPPED')).toHaveLength(1), { timeout: 5000 });
    expect(host.driver.ksmRunning).toBe(false);
  });

  it('manages the VMs it finds running once its agent restarted, as those it started', async () => {
    // The new agent process knows of mom-big only what the engine tells it at hello.
    await host.restartAgent();
    await hostsUp(t, [host]);
    const before = (await events('VM_MEMORY_RECLAIMED')).length;
    await updateCluster({ ballooningEnabled: true });
    await vi.waitFor(async () => expect((await events('VM_MEMORY_RECLAIMED')).length).toBeGreaterThan(before), { timeout: 15_000 });
    const reclaimed = (await events('VM_MEMORY_RECLAIMED')).slice(0, -before || undefined);
    expect(reclaimed.every((e) => e.vmId === big)).toBe(true);
    expect(reclaimed[0]!.message).toMatch(/the balloon of VM mom-big took \d+ MiB back, leaving it \d+ MiB \(guaranteed 2048 MiB\)\.$/);
  });
});
