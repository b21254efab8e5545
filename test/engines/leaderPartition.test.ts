// The leader election across a silent partition: two elections on one PostgreSQL database, the
// leader's connection through a relay that the test freezes (nothing passes, no socket closes).
// The frozen leader steps down at its next check, PostgreSQL ends its idle session and frees the
// lock, and only then does the other take it: never two leaders at once. Needs PostgreSQL (the
// suite's PostgreSQL pass, as .ci/run runs it): the embedded database has no election.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LeaderElection } from '../../server/cluster/leaderElection.ts';
import { withDatabase } from '../support/databaseUrl.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts';
import { until } from '../support/until.ts';

const templateUrl = process.env.DATABASE_URL ? inject('templateUrl') : null;
const RETRY_MS = 200;
const QUERY_TIMEOUT_MS = 1000;

describe.skipIf(!templateUrl)('leader election across a silent partition', () => {
  let dbName = '';
  let url = '';
  let proxy: TcpProxy;
  const elections: LeaderElection[] = [];
  const changes: { who: string; leader: boolean; at: number }[] = [];
  const election = (who: string, through: string) => {
    const e = new LeaderElection({
      url: through,
      retryMs: RETRY_MS,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
      onChange: (leader) => changes.push({ who, leader, at: Date.now() }),
    });
    elections.push(e);
    return e;
  };
  const admin = () => new pg.Client({ connectionString: withDatabase(templateUrl!, 'postgres') });

  beforeAll(async () => {
    dbName = `vireo_test_${process.pid}_leader_${Date.now()}`;
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE "${dbName}"`);
    await c.end();
    url = withDatabase(templateUrl!, dbName);
    proxy = await startTcpProxy(url);
  });

  afterAll(async () => {
    for (const e of elections) await e.stop();
    await proxy?.stop();
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  });

  it('hands the lock over only after the cut-off leader stepped down', async () => {
    const a = election('a', proxy.url);
    await a.start();
    const b = election('b', url);
    await b.start();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(await a.stillLeading()).toBe(true);
    // A follower never passes the check that guards fencing.
    expect(await b.stillLeading()).toBe(false);

    const frozenAt = Date.now();
    proxy.freeze();
    await until('the other election to take the lock', async () => b.isLeader, 20_000);
    const aDown = changes.find((c) => c.who === 'a' && !c.leader);
    const bUp = changes.find((c) => c.who === 'b' && c.leader);
    expect(aDown, 'the frozen leader stepped down').toBeDefined();
    expect(aDown!.at).toBeLessThan(bUp!.at);
    expect(a.isLeader).toBe(false);
    expect(await a.stillLeading()).toBe(false);
    expect(await b.stillLeading()).toBe(true);
    // The hand-over waits for PostgreSQL's idle timeout, 2 × (retry + query timeout): bounded, seconds.
    expect(bUp!.at - frozenAt).toBeLessThan(4 * (RETRY_MS + QUERY_TIMEOUT_MS) + 2000);
    console.log(
      `partition at 0 ms: the old leader stepped down at ${aDown!.at - frozenAt} ms, the other took the lock at ${bUp!.at - frozenAt} ms`,
    );
  });
});
