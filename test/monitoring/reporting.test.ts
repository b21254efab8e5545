// The engine's side of monitoring, in process: agent authentication, one report's pipeline,
// the watchdog with a moved clock, batched history, and the SSE form of the subscriptions.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { act, vmReaches } from '../vm/lifecycleSupport.ts';
import { AGENT_COMMAND_RESULT, AGENT_COMMANDS } from '../../protocol/operations.ts';
import { domain, hello, hostWithToken, report, send } from './support.ts';
import { sseSubscribe as sse } from '../support/subscriptions.ts';

let t: TestEngine;
let host: Awaited<ReturnType<typeof hostWithToken>>;
let server: { url: string; stop(): Promise<void> };
let channel: Client;
/** web01: added through the API, then run on host1 (the agent's command channel below takes the start). */
let known: string;
let knownGid: string;
const stranger = '33333333-3333-4333-8333-333333333333';

beforeAll(async () => {
  t = await startTestEngine();
  host = await hostWithToken(t);
  server = await t.listen();
  // The agent's command channel, over graphql-ws as the agent holds it: every command is answered "done".
  channel = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
  void (async () => {
    for await (const r of channel.iterate({ query: AGENT_COMMANDS, variables: { host: host.name, token: host.token } })) {
      const envelope = JSON.parse(String(r.data?.agentCommands));
      for await (const _ of channel.iterate({
        query: AGENT_COMMAND_RESULT,
        variables: { host: host.name, token: host.token, payload: JSON.stringify({ id: envelope.id, ok: true }) },
      }))
        break;
    }
  })();
  knownGid = (await mutate(t, 'addVm', { name: 'web01', cluster: host.clusterGid, memoryMb: 2048 }, 'vm')).id;
  known = decodeGlobalID(knownGid).id;
});
afterAll(async () => {
  await channel?.dispose();
  await server?.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

/** Runs the VM on host1: the engine sends the start and waits (WaitForLaunch) for the host's report of it. */
async function runOnHost(vmGid: string): Promise<string> {
  await vi.waitFor(() => expect(t.engine.hosts.isConnected(host.hostId)).toBe(true), { timeout: 10_000, interval: 50 });
  const r = await act(t, 'runVm', { id: vmGid, host: host.hostGid });
  expect(r.__typename, JSON.stringify(r)).toBe('MutationRunVmSuccess');
  await vmReaches(t, decodeGlobalID(vmGid).id, 'WAIT_FOR_LAUNCH', host.hostId);
  return r.result.job.id;
}

describe('agent authentication', () => {
  it('refuses agent operations without the host token', async () => {
    const res = await send(t, 'hello', { name: host.name, token: 'wrong' }, hello);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await send(t, 'report', { name: 'no-such-host', token: host.token }, report(0, []));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a payload that is not a protocol message', async () => {
    const res = await send(t, 'report', host, { seq: 'x' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
  });
});

describe('one report', () => {
  it('hello records the capabilities and NICs', async () => {
    expect((await send(t, 'hello', host, hello)).errors).toBeUndefined();
    const row = await t.engine.db.host.findUniqueOrThrow({ where: { id: host.hostId }, include: { nics: true } });
    expect(row).toMatchObject({
      cpuModel: 'Test CPU',
      cpuSockets: 2,
      cpuCores: 4,
      cpuThreads: 2,
      memoryMb: 65536,
      agentVersion: '0.1.0-test',
    });
    expect(row.nics.map((n) => n.name)).toEqual(['eno1']);
  });

  it('brings the host Up, updates its VMs, records a VM it did not expect, and stores the latest stats', async () => {
    expect((await send(t, 'report', host, report(0, []))).errors).toBeUndefined();
    const detected = await t.gql(`query { events(first: 1, filter: { code: "VDS_DETECTED" }) { edges { node { message } } } }`);
    expect(detected.data.events.edges).toHaveLength(1);
    await runOnHost(knownGid);
    const before = await t.engine.db.auditLog.count();
    expect(
      (await send(t, 'report', host, report(1, [domain(known, 'web01', 'UP'), domain(stranger, 'rogue', 'UP')]))).errors,
    ).toBeUndefined();
    const res = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Host { status statistics { cpuUserPercent runningVms }
      vms { edges { node { name status external: description statistics { cpuPercent memUsedMb guestIps guestHostname } } } } } } }`,
      { id: host.hostGid },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.node).toMatchObject({ status: 'UP', statistics: { cpuUserPercent: 11, runningVms: 2 } });
    const vms = res.data.node.vms.edges.map((e: any) => e.node);
    expect(vms[0]).toEqual({
      name: 'rogue',
      status: 'UP',
      external: 'Discovered on host host1',
      statistics: { cpuPercent: 12.5, memUsedMb: 900, guestIps: ['10.0.0.5'], guestHostname: 'rogue.example.org' },
    });
    expect(vms[1]).toMatchObject({ name: 'web01', status: 'UP', statistics: { cpuPercent: 12.5 } });
    expect((await t.engine.db.vm.findUniqueOrThrow({ where: { id: stranger } })).external).toBe(true);
    const codes = (await t.engine.db.auditLog.findMany({ orderBy: { createdAt: 'asc' }, skip: before })).map((e) => e.code);
    // Monitoring's two, and the run's outcome once it saw web01 Up.
    expect(codes.filter((c) => c !== 'USER_STARTED_VM').sort()).toEqual(['VM_EXTERNAL_DISCOVERED', 'VM_UP']);
  });

  it('writes every sample to history in batches, one insert per table per flush', async () => {
    await send(t, 'report', host, report(2, [domain(known, 'web01', 'UP'), domain(stranger, 'rogue', 'UP')]));
    expect(t.engine.monitoring.history.pending).toBe(7); // the first report's host, then 2 reports × (1 host + 2 VMs)
    const inserts: string[] = [];
    const off = t.database.onQuery((sql) => {
      if (/^INSERT/i.test(sql)) inserts.push(sql);
    });
    await t.engine.monitoring.history.flush();
    off();
    expect(inserts).toHaveLength(2);
    expect(await t.engine.db.hostSample.count({ where: { hostId: host.hostId } })).toBe(3);
    expect(await t.engine.db.vmSample.count({ where: { vmId: known } })).toBe(2);
  });
});

describe('a host whose hypervisor is unreachable', () => {
  it("goes NonOperational with the hypervisor's words, keeps its VMs as they were, and comes Up when it answers again", async () => {
    const message =
      "libvirt at qemu:///system: failed to connect to the hypervisor: Failed to connect socket to '/run/libvirt/libvirt-sock': Connection refused";
    expect((await send(t, 'report', host, { ...report(3, []), hypervisorError: message })).errors).toBeUndefined();
    const q = `query($id: ID!) { node(id: $id) { ... on Host { status statusReason vms { edges { node { name status } } } } } }`;
    const down = (await t.gql(q, { id: host.hostGid })).data.node;
    expect(down).toMatchObject({ status: 'NON_OPERATIONAL', statusReason: `The hypervisor is unreachable: ${message}` });
    expect(down.vms.edges.map((e: any) => e.node.status)).toEqual(['UP', 'UP']);
    const events = await t.gql(
      `query { events(first: 1, filter: { code: "VDS_HYPERVISOR_UNREACHABLE" }) { edges { node { message severity } } } }`,
    );
    expect(events.data.events.edges[0].node).toEqual({
      message: `Host host1 cannot run VMs and was set to NonOperational: ${message}`,
      severity: 'ERROR',
    });
    expect(
      (await send(t, 'report', host, report(4, [domain(known, 'web01', 'UP'), domain(stranger, 'rogue', 'UP')]))).errors,
    ).toBeUndefined();
    expect((await t.gql(q, { id: host.hostGid })).data.node).toMatchObject({ status: 'UP', statusReason: '' });
  });
});

describe('a host that stops reporting', () => {
  it('turns NonResponsive once the timeout has passed on the watchdog clock, and its VMs Unknown', async () => {
    const m = t.engine.monitoring;
    expect(await m.watchdog.check(new Date(Date.now() + m.timeoutMs / 2))).toEqual([]);
    expect(await m.watchdog.check(new Date(Date.now() + m.timeoutMs + 1000))).toEqual([host.hostId]);
    expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: host.hostId } })).status).toBe('NON_RESPONSIVE');
    expect((await t.engine.db.vm.findMany({ where: { hostId: host.hostId }, orderBy: { name: 'asc' } })).map((v) => v.status)).toEqual([
      'UNKNOWN',
      'UNKNOWN',
    ]);
  });

  it('comes back with its next full report; a VM it no longer runs goes Down', async () => {
    await send(t, 'report', host, report(3, [domain(known, 'web01', 'UP')]));
    expect((await t.engine.db.host.findUniqueOrThrow({ where: { id: host.hostId } })).status).toBe('UP');
    expect(await t.engine.db.vm.findUniqueOrThrow({ where: { id: known } })).toMatchObject({ status: 'UP', hostId: host.hostId });
    expect(await t.engine.db.vm.findUniqueOrThrow({ where: { id: stranger } })).toMatchObject({ status: 'DOWN', hostId: null });
  });
});

describe('subscriptions over SSE (plain HTTP)', () => {
  it('hostStats sends the stored sample first, then the next report', async () => {
    const { events, abort } = await sse(
      t.yoga,
      `subscription($id: ID!) { hostStats(hostId: $id) { cpuUserPercent runningVms sampledAt } }`,
      { id: host.hostGid },
      t.adminToken,
    );
    expect((await events.next()).value).toMatchObject({ data: { hostStats: { cpuUserPercent: 13, runningVms: 1 } } });
    await send(t, 'report', host, report(7, [domain(known, 'web01', 'UP')]));
    expect((await events.next()).value).toMatchObject({ data: { hostStats: { cpuUserPercent: 17, runningVms: 1 } } });
    abort();
  });

  it('events streams new log entries, filtered by severity and object', async () => {
    const { events, abort } = await sse(
      t.yoga,
      `subscription($h: ID!) { events(severity: [ERROR], objectType: HOST, objectId: $h) { code severity message } }`,
      { h: host.hostGid },
      t.adminToken,
    );
    const first = events.next(); // Yoga pulls on the stream as soon as it is made, which starts the listening
    await send(t, 'report', host, report(8, [domain(known, 'web01', 'UP')])); // nothing new: no event
    await send(t, 'report', host, report(9, [domain(known, 'web01', 'DOWN', { exitReason: 'CRASHED', exitMessage: 'kernel panic' })]));
    expect((await first).value).toMatchObject({
      data: { events: { code: 'VM_DOWN_ERROR', severity: 'ERROR', message: 'VM web01 is down with error. Exit message: kernel panic' } },
    });
    abort();
  });

  it('jobProgress sends the job now, then again when it ends', async () => {
    const web02 = await mutate(t, 'addVm', { name: 'web02', cluster: host.clusterGid, memoryMb: 1024 }, 'vm');
    const jobGid = await runOnHost(web02.id);
    const { events, abort } = await sse(
      t.yoga,
      `subscription($id: ID!) { jobProgress(jobId: $id) { status description } }`,
      { id: jobGid },
      t.adminToken,
    );
    expect((await events.next()).value).toMatchObject({ data: { jobProgress: { status: 'STARTED', description: 'Starting VM web02' } } });
    await send(t, 'report', host, report(10, [domain(known, 'web01', 'UP'), domain(decodeGlobalID(web02.id).id, 'web02', 'UP')]));
    expect((await events.next()).value).toMatchObject({ data: { jobProgress: { status: 'FINISHED' } } });
    abort();
  });

  it('refuses live stats to a request without a session', async () => {
    const { events, abort } = await sse(
      t.yoga,
      `subscription($id: ID!) { hostStats(hostId: $id) { cpuLoad } }`,
      { id: host.hostGid },
      null,
    );
    expect((await events.next()).value).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    abort();
  });

  it('refuses the command channel to an agent with a wrong token', async () => {
    const { events, abort } = await sse(t.yoga, `subscription { agentCommands(host: "${host.name}", token: "nope") }`, {}, null);
    expect((await events.next()).value).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    abort();
  });
});
