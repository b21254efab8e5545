// With REDIS_URL, two engines share events: stats one engine publishes reach the other's
// subscribers, and host-scoped topics (engine → agent commands) stay scoped.
// Runs when a redis-server binary is installed (apt-get install redis-server); skipped otherwise,
// except in CI, where a missing server fails.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnginePubSub, type PubSub, type HostStatsEvent } from '../../server/pubsub.ts';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

describe.skipIf(!hasRedis && process.env.CI !== 'true')('pub/sub through Redis', () => {
  let redis: ChildProcess;
  let a: PubSub;
  let b: PubSub;

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) =>
      redis.stdout!.on('data', (b: Buffer) => {
        if (b.toString().includes('Ready to accept connections')) resolve();
      }),
    );
    a = createEnginePubSub(`redis://127.0.0.1:${port}`);
    b = createEnginePubSub(`redis://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    redis?.kill();
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

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
