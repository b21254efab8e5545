// The monitoring service's own rules: an agent's token is read from the database once and again
// only after its host changes, and reports that wait together are applied as one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../../test/support/testEngine.ts';
import { domain, hello, hostWithToken, report, send } from '../../test/monitoring/support.ts';
import type { HostStatsEvent } from '../pubsub.ts';

let t: TestEngine;
let host: Awaited<ReturnType<typeof hostWithToken>>;
const vm = '44444444-4444-4444-8444-444444444444';

beforeAll(async () => {
  t = await startTestEngine({ engine: { monitoring: { maxTransactions: 1 } } });
  host = await hostWithToken(t);
  await t.engine.db.vm.create({
    data: { id: vm, name: 'db01', clusterId: host.clusterId, hostId: host.hostId, status: 'WAIT_FOR_LAUNCH' },
  });
  expect((await send(t, 'hello', host, hello)).errors).toBeUndefined();
  expect((await send(t, 'report', host, report(0, [domain(vm, 'db01', 'UP')]))).errors).toBeUndefined(); // the host comes Up: a host change
});
afterAll(async () => {
  await t.engine.monitoring.stop();
  await t.close();
});

describe('agent tokens', () => {
  it('checks a token against the database once, then against what it remembered', async () => {
    const reads: string[] = [];
    const off = t.database.onQuery((sql) => {
      if (/^SELECT .*agentTokenHash/.test(sql)) reads.push(sql);
    });
    for (let seq = 1; seq <= 3; seq++)
      expect((await send(t, 'report', host, report(seq, [domain(vm, 'db01', 'UP')]))).errors).toBeUndefined();
    off();
    expect(reads).toHaveLength(1); // the first, after the host came Up
    expect((await send(t, 'report', { name: host.name, token: 'wrong' }, report(4, []))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses the old token at the next report once a new one is issued, and takes the new one', async () => {
    const res = await t.gql(
      `mutation($input: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $input) {
      ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
      { input: { hostId: host.hostGid } },
    );
    const token: string = res.data.issueHostAgentToken.agentToken.token;
    await new Promise((r) => setTimeout(r, 10)); // the host:changed event is delivered asynchronously
    expect((await send(t, 'report', host, report(5, [domain(vm, 'db01', 'UP')]))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await send(t, 'report', { name: host.name, token }, report(6, [domain(vm, 'db01', 'UP')]))).errors).toBeUndefined();
    host = { ...host, token };
  });
});

describe('reports that wait together', () => {
  it('are applied as one, the newest: every sample published on arrival, every sender answered, the newest stats stored, every sample in history', async () => {
    const m = t.engine.monitoring;
    await m.history.flush();
    const published: HostStatsEvent[] = [];
    const stats = t.engine.pubsub.subscribe('host:stats', host.clusterId)[Symbol.asyncIterator]();
    void (async () => {
      for (let n = await stats.next(); !n.done; n = await stats.next()) published.push(n.value);
    })();
    // Another host's job holds the only transaction slot while three reports arrive.
    let release!: () => void;
    const blocker = m.queue.run(
      'another-host',
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    const sent = [10, 11, 12].map((seq) => send(t, 'report', host, report(seq, [domain(vm, 'db01', 'UP')])));
    await new Promise((r) => setTimeout(r, 200));
    // Published as they arrived, while their transaction still waits for a slot.
    expect(published.map((p) => p.cpuUserPercent)).toEqual([20, 21, 22]); // 10 + seq
    release();
    await blocker;
    for (const res of await Promise.all(sent)) expect(res.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 10));
    await stats.return?.();
    expect(published.map((p) => p.cpuUserPercent)).toEqual([20, 21, 22]); // nothing again after the transaction
    await m.live.flush();
    expect((await t.engine.db.hostStatistics.findUniqueOrThrow({ where: { hostId: host.hostId } })).cpuUserPercent).toBe(22);
    expect(m.history.pending).toBe(6); // 3 reports × (the host + 1 VM)
    await m.history.flush();
    const samples = await t.engine.db.hostSample.findMany({
      where: { hostId: host.hostId },
      orderBy: { sampledAt: 'asc' },
      take: 3,
      skip: (await t.engine.db.hostSample.count({ where: { hostId: host.hostId } })) - 3,
    });
    expect(samples.map((s) => s.cpuPercent)).toEqual([22, 23, 24]); // user + sys of reports 10, 11, 12
  });

  it('are applied one by one when one changes a state: a VM saved to disk, then gone from the host, is Suspended', async () => {
    const m = t.engine.monitoring;
    let release!: () => void;
    const blocker = m.queue.run(
      'another-host',
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    const sent = [
      send(t, 'report', host, report(20, [domain(vm, 'db01', 'UP')])),
      send(t, 'report', host, report(21, [domain(vm, 'db01', 'DOWN', { exitReason: 'SAVED' })])),
      send(t, 'report', host, report(22, [])),
    ];
    await new Promise((r) => setTimeout(r, 200));
    release();
    await blocker;
    for (const res of await Promise.all(sent)) expect(res.errors).toBeUndefined();
    expect(await t.engine.db.vm.findUniqueOrThrow({ where: { id: vm } })).toMatchObject({ status: 'SUSPENDED', hostId: null });
  });
});
