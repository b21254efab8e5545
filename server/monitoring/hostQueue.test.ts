import { describe, expect, it } from 'vitest';
import { HostQueue } from './hostQueue.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

/** A job that records when it starts and ends and finishes only when released. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  return {
    release,
    job: async () => {
      log.push(`${name}+`);
      await released;
      log.push(`${name}-`);
      return name;
    },
  };
}

describe('HostQueue', () => {
  it("runs one host's jobs one at a time, in arrival order, even when one fails", async () => {
    const q = new HostQueue(5);
    const log: string[] = [];
    const a = gate(log, 'a');
    const first = q.run('h', a.job);
    const failing = q.run('h', async () => {
      log.push('b');
      throw new Error('b failed');
    });
    const third = q.run('h', async () => {
      log.push('c');
      return 'c';
    });
    await tick();
    expect(log).toEqual(['a+']);
    a.release();
    expect(await first).toBe('a');
    await expect(failing).rejects.toThrow('b failed');
    expect(await third).toBe('c');
    expect(log).toEqual(['a+', 'a-', 'b', 'c']);
  });

  it('holds at most `limit` jobs in flight over all hosts; the others start as slots free up, first come first served', async () => {
    const q = new HostQueue(2);
    const log: string[] = [];
    const gates = ['h1', 'h2', 'h3', 'h4'].map((h) => ({ h, ...gate(log, h) }));
    const done = gates.map((g) => q.run(g.h, g.job));
    await tick();
    expect(log).toEqual(['h1+', 'h2+']);
    expect([q.inFlight, q.waitingForSlot]).toEqual([2, 2]);
    gates[1]!.release();
    await tick();
    expect(log).toEqual(['h1+', 'h2+', 'h2-', 'h3+']);
    expect([q.inFlight, q.waitingForSlot]).toEqual([2, 1]);
    for (const g of gates) g.release();
    expect(await Promise.all(done)).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect([q.inFlight, q.waitingForSlot]).toEqual([0, 0]);
  });
});
