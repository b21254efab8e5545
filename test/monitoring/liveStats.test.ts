// The live path apart from persistence: a report's samples reach subscribers when it arrives,
// before its transaction and before the batch that stores them; queries read the engine's memory
// first; the batch is written within its period, and stopping the engine writes what is left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { wsSubscribe } from '../support/subscriptions.ts';
import { domain, hello, hostWithToken, report, send } from './support.ts';

let t: TestEngine;
let server: Awaited<ReturnType<TestEngine['listen']>>;
let host: Awaited<ReturnType<typeof hostWithToken>>;
// A VM the agent runs and the engine did not know: discovered by the host's first report.
const vmId = '55555555-5555-4555-8555-555555555555';
const vmGid = encodeGlobalID('Vm', vmId);
const running = (seq: number) =>
  domain(vmId, 'ext01', 'UP', {
    sample: { cpuPercent: seq, netRxBps: 1, netTxBps: 1, diskReadBps: 1, diskWriteBps: 1, uptimeSeconds: 60 + seq },
  });

const HOST_STATS = `subscription($h: ID) { hostStats(hostId: $h) { hostId cpuUserPercent sampledAt } }`;
const VM_STATS = `subscription($v: ID) { vmStats(vmId: $v) { vmId cpuPercent uptimeSeconds } }`;
const CURRENT = `query($h: ID!, $v: ID!) { host: node(id: $h) { ... on Host { statistics { cpuUserPercent } } }
  vm: node(id: $v) { ... on Vm { status statistics { cpuPercent } } } }`;

const stored = async () => ({
  host: (await t.engine.db.hostStatistics.findUnique({ where: { hostId: host.hostId } }))?.cpuUserPercent,
  vm: (await t.engine.db.vmStatistics.findUnique({ where: { vmId } }))?.cpuPercent,
});

beforeAll(async () => {
  t = await startTestEngine();
  server = await t.listen();
  host = await hostWithToken(t);
  expect((await send(t, 'hello', host, hello)).errors).toBeUndefined();
  expect((await send(t, 'report', host, report(0, [running(0)]))).errors).toBeUndefined();
  await t.engine.monitoring.live.flush();
  expect(await stored()).toEqual({ host: 10, vm: 0 });
});
afterAll(async () => {
  await t.engine.monitoring.stop();
  await server.stop();
  await t.close();
});

describe('live stats', () => {
  it('reach hostStats and vmStats subscribers while the report waits for its transaction, before they are stored', async () => {
    const hostSub = wsSubscribe(server.url, t.adminToken, HOST_STATS, { h: host.hostGid });
    const vmSub = wsSubscribe(server.url, t.adminToken, VM_STATS, { v: vmGid });
    try {
      // Current state first.
      expect((await hostSub.next())?.data.hostStats.cpuUserPercent).toBe(10);
      expect((await vmSub.next())?.data.vmStats.cpuPercent).toBe(0);
      // Other hosts' jobs hold every transaction slot (one on the embedded database, more on PostgreSQL): this report cannot be applied yet.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const queue = t.engine.monitoring.queue;
      const blocker = Promise.all(Array.from({ length: queue.limit }, (_, i) => queue.run(`another-host-${i}`, () => held)));
      let answered = false;
      const sent = send(t, 'report', host, report(5, [running(5)])).then((r) => {
        answered = true;
        return r;
      });
      expect((await hostSub.next())?.data.hostStats.cpuUserPercent).toBe(15);
      expect((await vmSub.next())?.data.vmStats).toEqual({ vmId, cpuPercent: 5, uptimeSeconds: 65 });
      expect(answered).toBe(false);
      expect(t.engine.monitoring.queue.waitingForSlot).toBe(1);
      // Not written yet, but what a user reads is what the dashboard was pushed.
      expect(await stored()).toEqual({ host: 10, vm: 0 });
      expect((await t.gql(CURRENT, { h: host.hostGid, v: vmGid })).data).toEqual({
        host: { statistics: { cpuUserPercent: 15 } },
        vm: { status: 'UP', statistics: { cpuPercent: 5 } },
      });
      release();
      await blocker;
      expect((await sent).errors).toBeUndefined();
      // Applied: nothing is published a second time.
      expect(await hostSub.next(300)).toBeNull();
      expect(await vmSub.next(300)).toBeNull();
      expect(await stored()).toEqual({ host: 10, vm: 0 });
    } finally {
      await hostSub.client.dispose();
      await vmSub.client.dispose();
    }
  });

  it('a report that says the same again needs no transaction until something it is judged against changes', async () => {
    const views: string[] = [];
    const off = t.database.onQuery((sql) => {
      if (sql.includes('"missingNetworks"')) views.push(sql); // the report transaction's read of the host and its VMs
    });
    try {
      const before = Date.now();
      expect((await send(t, 'report', host, report(8, [running(8)]))).errors).toBeUndefined();
      expect(views).toHaveLength(0);
      // Its samples and its time are there all the same.
      const now = (
        await t.gql(`query($h: ID!) { node(id: $h) { ... on Host { status lastSeenAt statistics { cpuUserPercent } } } }`, {
          h: host.hostGid,
        })
      ).data.node;
      expect(now.status).toBe('UP');
      expect(now.statistics.cpuUserPercent).toBe(18);
      expect(new Date(now.lastSeenAt).getTime()).toBeGreaterThanOrEqual(before);
      await t.engine.monitoring.live.flush();
      const row = await t.engine.db.host.findUniqueOrThrow({ where: { id: host.hostId }, select: { lastSeenAt: true } });
      expect(row.lastSeenAt!.getTime()).toBe(new Date(now.lastSeenAt).getTime());

      // A user changes the VM: the host's next report is applied again, the one after is not.
      const renamed = await t.gql(
        `mutation($id: ID!) { updateVm(input: { id: $id, name: "ext01-renamed" }) { __typename ... on Error { code message } } }`,
        {
          id: vmGid,
        },
      );
      expect(renamed.data.updateVm.__typename).toBe('MutationUpdateVmSuccess');
      await new Promise((r) => setTimeout(r, 200)); // vm:changed is delivered asynchronously
      expect((await send(t, 'report', host, report(9, [running(9)]))).errors).toBeUndefined();
      expect(views).toHaveLength(1);
      expect((await send(t, 'report', host, report(10, [running(10)]))).errors).toBeUndefined();
      expect(views).toHaveLength(1);
      // A changed state is applied: the VM paused, then gone from the host.
      expect((await send(t, 'report', host, report(11, [domain(vmId, 'ext01', 'PAUSED')]))).errors).toBeUndefined();
      expect(views).toHaveLength(2);
      expect((await t.gql(CURRENT, { h: host.hostGid, v: vmGid })).data.vm.status).toBe('PAUSED');
      expect((await send(t, 'report', host, report(12, [running(12)]))).errors).toBeUndefined();
      expect(views).toHaveLength(3);
      expect((await t.gql(CURRENT, { h: host.hostGid, v: vmGid })).data.vm.status).toBe('UP');
    } finally {
      off();
    }
  });

  it('are written within the flush period, one batch for all', async () => {
    const periodMs = 1000;
    t.engine.monitoring.live.start(periodMs);
    try {
      expect((await send(t, 'report', host, report(6, [running(6)]))).errors).toBeUndefined();
      const sentAt = Date.now();
      for (;;) {
        const s = await stored();
        if (s.host === 16 && s.vm === 6) break;
        expect(Date.now() - sentAt).toBeLessThan(periodMs + 1500); // its period, and slack for a busy machine
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await t.engine.monitoring.live.stop();
    }
  });

  it('are written when monitoring stops (the engine shutting down)', async () => {
    expect((await send(t, 'report', host, report(7, [running(7)]))).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored()).toEqual({ host: 16, vm: 6 }); // no flush timer runs now
    expect(t.engine.monitoring.live.pending).toBe(2);
    await t.engine.monitoring.stop();
    expect(await stored()).toEqual({ host: 17, vm: 7 });
  });
});
