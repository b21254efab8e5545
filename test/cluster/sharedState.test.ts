// Several engines behind one Redis share their action locks, log-in limits and where agents are
// connected: a lock one engine holds refuses the others, and is gone within its expiry when that
// engine dies without releasing; failed log-ins counted on one engine count on the others; an
// agent connected to one engine is connected (and reachable) for all, and for none once it left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLocks } from '../../server/actions/redisLocks.ts';
import { redisAvailable, startRedis, type RedisServer } from '../support/redisServer.ts';
import { ADMIN_PASSWORD, startTestEngine, type TestEngine } from '../support/testEngine.ts';

const LOGIN = `mutation($p: String!) { login(input: { userName: "admin", password: $p }) {
  __typename ... on Error { code } } }`;

describe.skipIf(!redisAvailable && process.env.CI !== 'true')('locks and limits shared through Redis', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it("takes all of an action's keys or none, refuses another engine, and frees a dead engine's lock within its expiry", async () => {
    const a = new RedisLocks(redis.url, 1500);
    const b = new RedisLocks(redis.url, 1500);
    expect(await a.tryAcquire(['Vm:1', 'Host:1'], 'action-a', 'run VM')).toBeNull();
    expect(await b.tryAcquire(['Host:2', 'Vm:1'], 'action-b', 'migrate VM')).toBe('Vm:1');
    expect(await b.isHeld('Host:2')).toBe(false); // none taken
    expect(await b.holder('Vm:1')).toBe('run VM');
    // A renews while it lives: still held after twice the expiry.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await b.holder('Host:1')).toBe('run VM');
    // Only its owner releases it.
    await b.release(['Vm:1'], 'action-b');
    expect(await b.isHeld('Vm:1')).toBe(true);
    await a.release(['Vm:1', 'Host:1'], 'action-a');
    expect(await b.isHeld('Vm:1')).toBe(false);
    // A takes a lock and dies without releasing it (its renewals stop with it).
    expect(await a.tryAcquire(['Vm:1'], 'action-c', 'run VM')).toBeNull();
    await a.close();
    expect(await b.tryAcquire(['Vm:1'], 'action-d', 'run VM')).toBe('Vm:1');
    await expect.poll(() => b.tryAcquire(['Vm:1'], 'action-d', 'run VM'), { timeout: 3000, interval: 100 }).toBeNull();
    await b.close();
  });

  describe('log-in limits', () => {
    let one: TestEngine;
    let two: TestEngine;

    beforeAll(async () => {
      one = await startTestEngine({ engine: { redisUrl: redis.url } });
      two = await startTestEngine({ engine: { redisUrl: redis.url } });
    });

    afterAll(async () => {
      await one?.close();
      await two?.close();
    });

    it('an agent connected to one engine is connected for the other, until it disconnects', async () => {
      const HOST = '0b0b0b0b-0000-4000-8000-000000000001';
      expect(one.engine.hosts.reachable(HOST)).toBe(false);
      const channel = two.engine.hosts.channel(HOST);
      const next = channel.next(); // opens the session
      expect(two.engine.hosts.isConnectedHere(HOST)).toBe(true);
      await expect.poll(() => one.engine.hosts.isConnected(HOST), { timeout: 5000 }).toBe(true);
      expect(one.engine.hosts.isConnectedHere(HOST)).toBe(false);
      await channel.return();
      await next;
      await expect.poll(() => one.engine.hosts.reachable(HOST), { timeout: 5000 }).toBe(false);
    });

    it('failures counted on one engine make the user wait on another', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await one.gqlAs(null, LOGIN, { p: 'wrong' });
        expect(res.data.login.code).toBe('INVALID_CREDENTIALS');
      }
      const res = await two.gqlAs(null, LOGIN, { p: ADMIN_PASSWORD });
      expect(res.data.login.code).toBe('TOO_MANY_ATTEMPTS');
    });
  });
});
