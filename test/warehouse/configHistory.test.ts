// Configuration history: every change of a VM's, host's or cluster's configuration through the API
// is kept with its time (runtime changes an agent reports are not), and configAt answers what the
// object was at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate, userWithRole } from '../support/inventory.ts';
import { domain, hello, hostWithToken, report, send } from '../monitoring/support.ts';

let t: TestEngine;
const HISTORY = `query($id: ID!, $time: DateTime!) { node(id: $id) { ... on Vm { configHistory { changedAt changedFields config } configAt(time: $time) { changedAt config } }
  ... on Host { configHistory { changedFields config } configAt(time: $time) { config } } ... on Cluster { configHistory { changedFields config } configAt(time: $time) { config } } } }`;
const history = async (id: string, time = new Date()) => {
  const res = await t.gql(HISTORY, { id, time: time.toISOString() });
  expect(res.errors).toBeUndefined();
  return res.data.node;
};
const pause = () => new Promise((r) => setTimeout(r, 20));

beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t.close());

describe('a VM', () => {
  it('keeps each change with its time, and configAt answers what it was then', async () => {
    const { cluster } = await buildInventory(t, 'cfg');
    const vm = await mutate(t, 'addVm', { name: 'cfg-vm', cluster: cluster.id, memoryMb: 2048 }, 'vm');
    await pause();
    const afterCreate = new Date();
    await pause();
    await mutate(t, 'updateVm', { id: vm.id, memoryMb: 4096, guaranteedMemoryMb: 4096 }, 'vm');
    await pause();
    const afterMemory = new Date();
    await pause();
    await mutate(t, 'updateVm', { id: vm.id, name: 'cfg-vm-2', description: 'renamed' }, 'vm');

    const node = await history(vm.id);
    expect(node.configHistory.map((r: { changedFields: string[] }) => r.changedFields)).toEqual([
      ['description', 'name'],
      ['guaranteedMemoryMb', 'memoryMb'],
      expect.arrayContaining(['name', 'memoryMb', 'clusterId', 'cpuCores']),
    ]);
    const times = node.configHistory.map((r: { changedAt: string }) => Date.parse(r.changedAt));
    expect(times[0]).toBeGreaterThan(afterMemory.getTime());
    expect(times[1]).toBeGreaterThan(afterCreate.getTime());
    expect(times[1]).toBeLessThan(afterMemory.getTime());
    const first = JSON.parse(node.configHistory[2].config);
    expect(first).toMatchObject({ name: 'cfg-vm', memoryMb: 2048 });
    expect(first).not.toHaveProperty('status');

    const then = await history(vm.id, afterCreate);
    expect(JSON.parse(then.configAt.config)).toMatchObject({ name: 'cfg-vm', memoryMb: 2048 });
    expect(JSON.parse((await history(vm.id, afterMemory)).configAt.config)).toMatchObject({ name: 'cfg-vm', memoryMb: 4096 });
    expect(JSON.parse(node.configAt.config)).toMatchObject({ name: 'cfg-vm-2', memoryMb: 4096, description: 'renamed' });
    expect((await history(vm.id, new Date(Date.now() - 3_600_000))).configAt).toBeNull();
  });

  it('a refused change and what an agent reports (status, host) are no revision', async () => {
    const host = await hostWithToken(t, 'cfghost');
    await send(t, 'hello', host, hello);
    const external = '66666666-6666-4666-8666-666666666666';
    await send(t, 'report', host, report(1, [domain(external, 'ext-vm', 'UP')]));
    await send(t, 'report', host, report(2, [domain(external, 'ext-vm', 'PAUSED')]));
    const vms = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { vms { edges { node { id status } } } } } }`, {
      id: host.hostGid,
    });
    const vm = vms.data.node.vms.edges[0].node;
    expect(vm.status).toBe('PAUSED');
    const bad = await t.gql(`mutation($i: UpdateVmInput!) { updateVm(input: $i) { __typename } }`, { i: { id: vm.id, memoryMb: -5 } });
    expect(bad.data?.updateVm?.__typename ?? bad.errors?.[0]?.extensions?.code).toMatch(/Error|BAD_INPUT/);
    expect((await history(vm.id)).configHistory).toHaveLength(1);
  });
});

describe('a host and a cluster', () => {
  it('keep their changes too; a cluster administrator reads them, a user of nothing does not', async () => {
    const host = await hostWithToken(t, 'cfghost2');
    await send(t, 'hello', host, hello);
    await mutate(t, 'updateHost', { id: host.hostGid, name: 'cfghost2-renamed' }, 'host');
    const h = await history(host.hostGid);
    expect(h.configHistory[0]).toMatchObject({ changedFields: ['name'] });
    expect(JSON.parse(h.configHistory[0].config)).not.toHaveProperty('agentTokenHash');
    expect(h.configHistory.length).toBeGreaterThanOrEqual(2);

    await mutate(t, 'updateCluster', { id: host.clusterGid, memoryOvercommitPercent: 150 }, 'cluster');
    const c = await history(host.clusterGid);
    expect(c.configHistory.map((r: { changedFields: string[] }) => r.changedFields[0])).toEqual([
      'memoryOvercommitPercent',
      expect.any(String),
    ]);
    expect(JSON.parse(c.configAt.config)).toMatchObject({ memoryOvercommitPercent: 150 });

    const admin = await userWithRole(t, 'cfgadmin', 'ClusterAdmin', host.clusterGid);
    const seen = await t.gqlAs(admin, HISTORY, { id: host.clusterGid, time: new Date().toISOString() });
    expect(seen.data.node.configHistory).toEqual(c.configHistory);
    const other = await userWithRole(t, 'cfgnobody', 'UserRole', (await buildInventory(t, 'cfg2')).cluster.id);
    const refused = await t.gqlAs(other, HISTORY, { id: host.clusterGid, time: new Date().toISOString() });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
