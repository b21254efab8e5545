// Real processes: an agent process (simulated hypervisor) connects to an engine over
// graphql-ws; its VM stats reach a graphql-ws subscriber; killing it makes the host
// NonResponsive; restarting it recovers; the agent also rides out an engine restart.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { hostWithToken } from './support.ts';
import { mutate } from '../support/inventory.ts';
import { decodeGlobalID } from '@pothos/plugin-relay';

const root = path.resolve(import.meta.dirname, '../..');
let vmId: string;
let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let host: Awaited<ReturnType<typeof hostWithToken>>;
let client: Client;
let agent: ChildProcess | null = null;

function startAgentProcess(url: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'agent/main.ts',
      '--engine',
      url,
      '--name',
      host.name,
      '--token',
      host.token,
      '--interval',
      '200',
      '--boot-ms',
      '300',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (b: Buffer) => {
    if (process.env.DEBUG_AGENT) process.stdout.write(b);
  });
  child.stderr!.on('data', (b: Buffer) => process.stderr.write(b));
  return child;
}

/** Subscribes over graphql-ws and returns an iterator of `data` payloads. */
function subscribe<T>(query: string, variables: Record<string, unknown>) {
  const it = client.iterate<T>({ query, variables });
  return {
    async until(match: (d: T) => boolean): Promise<T> {
      for (;;) {
        const r = await it.next();
        if (r.done) throw new Error('subscription ended');
        if (r.value.errors) throw new Error(JSON.stringify(r.value.errors));
        if (match(r.value.data as T)) return r.value.data as T;
      }
    },
    close: () => it.return?.(),
  };
}

beforeAll(async () => {
  t = await startTestEngine();
  host = await hostWithToken(t, 'proc1');
  server = await t.listen();
  client = createClient({
    url: server.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${t.adminToken}` },
  });
});

afterAll(async () => {
  agent?.kill('SIGKILL');
  await client.dispose();
  await server.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

type HostUpdate = { hostUpdated: { status: string } };
const HOST_UPDATED = `subscription($id: ID!) { hostUpdated(hostId: $id) { status } }`;

it('an agent process registers its host, runs a VM the engine asks for, and its stats reach a graphql-ws subscriber', async () => {
  const hostUpdates = subscribe<HostUpdate>(HOST_UPDATED, { id: host.hostGid });
  agent = startAgentProcess(server.url);
  await hostUpdates.until((d) => d.hostUpdated.status === 'UP');
  const row = await t.engine.db.host.findUniqueOrThrow({ where: { id: host.hostId }, include: { nics: true } });
  expect(row.cpuModel).toContain('Xeon');
  expect(row.nics.map((n) => n.name)).toEqual(['eno1', 'eno2', 'eno3', 'eno4']);

  // The engine's command travels back over the agent's connection.
  await vi.waitFor(() => expect(t.engine.hosts.isConnected(host.hostId)).toBe(true));
  const vmGid = (
    await mutate(t, 'addVm', { name: 'web01', cluster: host.clusterGid, memoryMb: 2048, cpuCores: 2, osType: 'rhel_9x64' }, 'vm')
  ).id as string;
  vmId = decodeGlobalID(vmGid).id;
  const stats = subscribe<{ vmStats: { vmId: string; cpuPercent: number; guestHostname: string; guestIps: string[] } }>(
    `subscription($id: ID!) { vmStats(vmId: $id) { vmId cpuPercent guestHostname guestIps } }`,
    { id: vmGid },
  );
  const run = await t.gql(`mutation($i: RunVmInput!) { runVm(input: $i) { __typename ... on Error { code message } } }`, {
    i: { id: vmGid, host: host.hostGid },
  });
  expect(run.data.runVm.__typename).toBe('MutationRunVmSuccess');
  const booted = await stats.until((d) => d.vmStats.guestHostname !== '');
  expect(booted.vmStats).toMatchObject({ vmId, guestHostname: 'web01.example.org' });
  expect(booted.vmStats.guestIps.length).toBeGreaterThan(0);
  await stats.close();
  // Samples are published before the report's transaction commits, so Up may be a moment behind them.
  await vi.waitFor(async () =>
    expect((await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { status } } }', { id: vmGid })).data.node.status).toBe('UP'),
  );
  await hostUpdates.close();
});

it('killing the agent makes the host NonResponsive and its VM Unknown; restarting it recovers', async () => {
  const hostUpdates = subscribe<HostUpdate>(HOST_UPDATED, { id: host.hostGid });
  await hostUpdates.until((d) => d.hostUpdated.status === 'UP'); // the first value: the current state
  agent!.kill('SIGKILL');
  await once(agent!, 'exit');
  // The watchdog's clock, moved past the timeout (no test waits for real time to pass).
  const m = t.engine.monitoring;
  expect(await m.watchdog.check(new Date(Date.now() + m.timeoutMs + 1000))).toEqual([host.hostId]);
  await hostUpdates.until((d) => d.hostUpdated.status === 'NON_RESPONSIVE');
  expect((await t.engine.db.vm.findUniqueOrThrow({ where: { id: vmId } })).status).toBe('UNKNOWN');

  agent = startAgentProcess(server.url);
  await hostUpdates.until((d) => d.hostUpdated.status === 'UP');
  // The new agent process's hypervisor runs nothing: its full report sets the VM Down.
  await vi.waitFor(async () => expect((await t.engine.db.vm.findUniqueOrThrow({ where: { id: vmId } })).status).toBe('DOWN'));
  await hostUpdates.close();
});

it('the agent reconnects after an engine restart and reports again', async () => {
  const port = new URL(server.url).port;
  await server.stop();
  const before = (await t.engine.db.host.findUniqueOrThrow({ where: { id: host.hostId } })).lastSeenAt!;
  const { listen } = await import('../../server/http/listen.ts');
  server = await listen(t.yoga, '127.0.0.1', Number(port));
  await client.dispose();
  client = createClient({
    url: server.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${t.adminToken}` },
  });
  const hostStats = subscribe<{ hostStats: { sampledAt: string } }>(`subscription($id: ID!) { hostStats(hostId: $id) { sampledAt } }`, {
    id: host.hostGid,
  });
  await hostStats.until((d) => new Date(d.hostStats.sampledAt) > before);
  await vi.waitFor(() => expect(t.engine.hosts.isConnected(host.hostId)).toBe(true));
  await hostStats.close();
});
