// The demo as a new user meets it: the engine as `npm start` runs it (its own process, the demo
// inventory and agents, an empty database of its own), a real log-in, and the first
// things one tries through the API: run every Down VM, migrate one, put every host into
// maintenance (its VMs evacuated) and activate it again. Each phase's time is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { loginAdmin, post, startEngineProcess, type EngineProcess } from '../support/engineProcess.ts';

let engine: EngineProcess;
let token: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-demo-'));
const timings: string[] = [];

beforeAll(async () => {
  const started = performance.now();
  engine = await startEngineProcess({ VIREO_DATA_DIR: dataDir }, 240_000);
  timings.push(`engine ready: ${Math.round(performance.now() - started)} ms (it says ${engine.readyMs} ms)`);
  token = await loginAdmin(engine.url);
}, 300_000);
afterAll(async () => {
  await engine?.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`demo timings:\n  ${timings.join('\n  ')}`);
});

const gql = async (query: string, variables?: Record<string, unknown>) => {
  const res = await post(engine.url, query, variables, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data;
};
type Vm = { id: string; name: string; status: string; host: { id: string; name: string } | null };
type Host = { id: string; name: string; status: string };
const vms = async (): Promise<Vm[]> =>
  (await gql('{ vms(first: 500) { edges { node { id name status host { id name } } } } }')).vms.edges.map((e: { node: Vm }) => e.node);
const hosts = async (): Promise<Host[]> =>
  (await gql('{ hosts(first: 100) { edges { node { id name status } } } }')).hosts.edges.map((e: { node: Host }) => e.node);
const jobStatus = async (id: string): Promise<string> =>
  (await gql('query($id: ID!) { node(id: $id) { ... on Job { status } } }', { id })).node.status;

async function act(name: string, id: string, extra: Record<string, unknown> = {}): Promise<{ jobId: string | null }> {
  const Name = `${name[0]!.toUpperCase()}${name.slice(1)}`;
  const field = name === 'activateHost' ? 'host { id }' : 'result { job { id } }';
  const data = await gql(
    `mutation($input: ${Name}Input!) { ${name}(input: $input) { __typename
    ... on ValidationError { reasons { code message } } ... on Error { code message } ... on Mutation${Name}Success { ${field} } } }`,
    { input: { id, ...extra } },
  );
  const r = data[name];
  expect(r.__typename, `${name} ${id}: ${JSON.stringify(r)}`).toBe(`Mutation${Name}Success`);
  return { jobId: r.result?.job.id ?? null };
}

async function phase<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await fn();
  timings.push(`${label}: ${Math.round(performance.now() - started)} ms`);
  return out;
}

const wait = { timeout: 60_000, interval: 250 };

it('a new user runs every Down demo VM, migrates one, puts every host into maintenance and back, and reboots one', async () => {
  await phase('demo hosts Up and its started VMs Up', () =>
    vi.waitFor(async () => {
      expect((await hosts()).map((h) => h.status)).toEqual(['UP', 'UP', 'UP', 'UP', 'UP']);
      const all = await vms();
      expect(all.filter((v) => v.status !== 'DOWN' && v.status !== 'UP')).toEqual([]);
      expect(all.filter((v) => v.status === 'UP').length).toBeGreaterThan(0);
    }, wait),
  );

  await phase('every Down VM run (dry run allowed, then Up)', async () => {
    const down = (await vms()).filter((v) => v.status === 'DOWN');
    expect(down.length).toBeGreaterThan(0);
    for (const vm of down) {
      const check = (await gql('query($id: ID!) { canRunVm(input: { id: $id }) { allowed reasons { code message } } }', { id: vm.id }))
        .canRunVm;
      expect(check, vm.name).toEqual({ allowed: true, reasons: [] });
      await act('runVm', vm.id);
    }
    await vi.waitFor(
      async () => expect((await vms()).filter((v) => v.status !== 'UP').map((v) => `${v.name} ${v.status}`)).toEqual([]),
      wait,
    );
  });

  await phase('one VM migrated', async () => {
    const vm = (await vms()).find((v) => v.name === 'web01')!;
    const { jobId } = await act('migrateVm', vm.id);
    await vi.waitFor(async () => expect(await jobStatus(jobId!)).toBe('FINISHED'), wait);
    const after = (await vms()).find((v) => v.id === vm.id)!;
    expect(after.status).toBe('UP');
    expect(after.host!.id).not.toBe(vm.host!.id);
  });

  for (const host of await hosts()) {
    await phase(`${host.name} to maintenance and back`, async () => {
      const { jobId } = await act('maintenanceHost', host.id);
      await vi.waitFor(async () => expect(await jobStatus(jobId!)).toBe('FINISHED'), wait);
      expect((await hosts()).find((h) => h.id === host.id)!.status).toBe('MAINTENANCE');
      expect((await vms()).filter((v) => v.host?.id === host.id).map((v) => v.name)).toEqual([]);
      expect((await vms()).filter((v) => v.status !== 'UP').map((v) => v.name)).toEqual([]);
      await act('activateHost', host.id);
      await vi.waitFor(async () => expect((await hosts()).find((h) => h.id === host.id)!.status).toBe('UP'), wait);
    });
  }

  await phase('host03 rebooted through its power management', async () => {
    const host = (await hosts()).find((h) => h.name === 'host03')!;
    const fence = async (action: string) =>
      (
        await gql(
          `mutation($i: FenceHostInput!) { fenceHost(input: $i) { __typename ... on MutationFenceHostSuccess { result { power } }
          ... on Error { code message } ... on ValidationError { reasons { code message } } } }`,
          { i: { host: host.id, action } },
        )
      ).fenceHost;
    const agents = (await gql('query($id: ID!) { node(id: $id) { ... on Host { fenceAgents { type port } } } }', { id: host.id })).node;
    expect(agents.fenceAgents).toEqual([{ type: 'vireo_sim', port: 'host03' }]);
    expect(await fence('STATUS')).toEqual({ __typename: 'MutationFenceHostSuccess', result: { power: 'ON' } });
    const { jobId } = await act('maintenanceHost', host.id);
    await vi.waitFor(async () => expect(await jobStatus(jobId!)).toBe('FINISHED'), wait);
    expect(await fence('REBOOT')).toEqual({ __typename: 'MutationFenceHostSuccess', result: { power: 'ON' } });
    await act('activateHost', host.id);
    await vi.waitFor(async () => expect((await hosts()).find((h) => h.id === host.id)!.status).toBe('UP'), wait);
    expect((await vms()).filter((v) => v.status !== 'UP').map((v) => v.name)).toEqual([]);
  });
}, 600_000);
