import { describe, expect, it } from 'vitest';
import { createEnginePubSub, STATS_BACKLOG, type HostStatsEvent } from './pubsub.ts';

const stat = (n: number) => ({ hostId: 'h', clusterId: 'c', runningVms: n }) as HostStatsEvent;

describe('engine pub/sub', () => {
  it('keeps a slow stats subscriber to the newest samples instead of failing the publisher', async () => {
    const pubsub = createEnginePubSub('');
    const slow = pubsub.subscribe('host:stats', 'c')[Symbol.asyncIterator]();
    const first = slow.next(); // subscribed, then it stops reading
    for (let n = 0; n < 3 * STATS_BACKLOG; n++) pubsub.publish('host:stats', 'c', stat(n));
    expect((await first).value.runningVms).toBe(0);
    const rest: number[] = [];
    for (let i = 0; i < STATS_BACKLOG; i++) rest.push((await slow.next()).value.runningVms);
    expect(rest[0]).toBe(2 * STATS_BACKLOG);
    expect(rest.at(-1)).toBe(3 * STATS_BACKLOG - 1);
    pubsub.publish('host:stats', 'c', stat(-1));
    expect((await slow.next()).value.runningVms).toBe(-1);
    await slow.return?.();
  });

  it('delivers every change event, in order, however many are published at once', async () => {
    // A host's first report can name 5,000 VMs found running: one change each, in one loop.
    const pubsub = createEnginePubSub('');
    const it = pubsub.subscribe('vm:changed')[Symbol.asyncIterator]();
    const first = it.next();
    for (let n = 0; n < 5000; n++) pubsub.publish('vm:changed', { id: String(n), kind: 'updated' });
    const got = [(await first).value.id];
    for (let n = 1; n < 5000; n++) got.push((await it.next()).value.id);
    expect(got).toEqual(Array.from({ length: 5000 }, (_, n) => String(n)));
    await it.return?.();
  });
});
