// Exactly one engine leads (runs the cluster-wide loops). On the embedded database the one engine
// leads at once; on PostgreSQL a second engine on the same database follows, and leads within
// seconds once the leader's database session ends (as it does when its process is killed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db.ts';
import { createEngine } from '../../server/engine.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';

/** The PostgreSQL pass of the suite (.ci/run); the embedded database has one engine process. */
const onPostgres = !!process.env.DATABASE_URL;
const INSTANCES = '{ engineInstances { id leader alive } }';

describe('leader election', () => {
  let t: TestEngine;

  beforeAll(async () => {
    // The first engine tries again only every minute: once it lost the lock, the second must be the one to take it.
    t = await startTestEngine({ engine: { leaderRetryMs: 60_000 } });
    await t.engine.cluster.start();
  });

  afterAll(async () => {
    await t.engine.cluster.stop();
    await t.close();
  });

  it('a lone engine leads from its start, and engineInstances says so', async () => {
    expect(t.engine.cluster.isLeader).toBe(true);
    const res = await t.gql(INSTANCES);
    expect(res.data.engineInstances).toEqual([{ id: t.engine.cluster.id, leader: true, alive: true }]);
  });

  it.skipIf(!onPostgres)('on PostgreSQL a second engine follows, and leads within seconds once the leader’s session is gone', async () => {
    const database = await openDatabase({ url: t.database.url!, migrate: false });
    const second = createEngine(database, { leaderRetryMs: 200 });
    try {
      await second.cluster.start();
      expect(second.cluster.isLeader).toBe(false);
      let res = await t.gql(INSTANCES);
      expect(res.data.engineInstances).toHaveLength(2);
      expect(res.data.engineInstances.filter((e: { leader: boolean }) => e.leader)).toEqual([
        { id: t.engine.cluster.id, leader: true, alive: true },
      ]);
      // What PostgreSQL does when the leader's process dies: its session ends, and the lock with it.
      const ended = await t.engine.db.$queryRaw<{ pid: number }[]>`
        SELECT pg_terminate_backend(l.pid) AS ok, l.pid FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
      expect(ended).toHaveLength(1);
      const since = Date.now();
      await expect.poll(() => second.cluster.isLeader, { timeout: 5000, interval: 50 }).toBe(true);
      expect(Date.now() - since).toBeLessThan(3000);
      await expect.poll(() => t.engine.cluster.isLeader, { timeout: 5000 }).toBe(false);
      await expect
        .poll(async () => (await t.gql(INSTANCES)).data.engineInstances.filter((e: { leader: boolean }) => e.leader))
        .toEqual([{ id: second.cluster.id, leader: true, alive: true }]);
      res = await t.gql(INSTANCES);
      expect(res.data.engineInstances.every((e: { alive: boolean }) => e.alive)).toBe(true);
    } finally {
      await second.cluster.stop();
      await database.close();
    }
  });
});
