// With REDIS_URL, two engines share events: stats one engine publishes reach the other's
// subscribers, and host-scoped topics (engine → agent commands) stay scoped.
// Runs when a redis-server binary is installed (apt-get install redis-server); skipped otherwise,
// except in CI, where a missing server fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnginePubSub, type PubSub, type HostStatsEvent } from '../../server/pubsub.ts';
import { redisAvailable, startRedis, type RedisServer } from '../support/redisServer.ts';

describe.skipIf(!redisAvailable && process.env.CI !== 'true')('pub/sub through Redis', () => {
  let redis: RedisServer;
  let a: PubSub;
  let b: PubSub;

  beforeAll(async () => {
    redis = await startRedis();
    a = createEnginePubSub(redis.url);
    b = createEnginePubSub(redis.url);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('delivers an event published by one engine to a subscriber of the other', async () => {
    const stats = b.subscribe('host:stats', 'c1')[Symbol.asyncIterator]();
    const commands = b.subscribe('agent:command', 'host-2')[Symbol.asyncIterator]();
    const nextStats = stats.next();
    const nextCommand = commands.next();
    // Redis SUBSCRIBE is asynchronous: publish until the subscriber has seen one.
    const sample: HostStatsEvent = {
      hostId: 'h1',
      clusterId: 'c1',
      cpuUserPercent: 1,
      cpuSysPercent: 1,
      cpuIdlePercent: 98,
      cpuLoad: 0.1,
      memUsedMb: 1,
      memFreeMb: 1,
      swapUsedMb: 0,
      netRxBps: 0,
      netTxBps: 0,
      runningVms: 0,
      sampledAt: new Date(0).toISOString(),
    };
    let got: IteratorResult<HostStatsEvent> | undefined;
    void nextStats.then((r) => {
      got = r;
    });
    while (!got) {
      a.publish('host:stats', 'c1', sample);
      await new Promise((r) => setImmediate(r));
    }
    expect(got.value).toEqual(sample);
    const command = {
      id: '55555555-5555-4555-8555-555555555555',
      command: { type: 'destroy' as const, vmId: '66666666-6666-4666-8666-666666666666' },
    };
    let delivered: IteratorResult<unknown> | undefined;
    void nextCommand.then((r) => {
      delivered = r;
    });
    while (!delivered) {
      a.publish('agent:command', 'host-1', { ...command, id: '77777777-7777-4777-8777-777777777777' }); // another host's: never delivered here
      a.publish('agent:command', 'host-2', command);
      await new Promise((r) => setImmediate(r));
    }
    expect(delivered.value).toEqual(command);
    await stats.return?.();
    await commands.return?.();
  });
});
