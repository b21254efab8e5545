import { Repeater } from 'graphql-yoga';

/**
 * A subscription's stream: the current state first, then every change that `accept` lets
 * through. The change stream is listened to before the current state is read, so nothing
 * between the two is lost. (Filtering here rather than in a pipe saves a stage per message,
 * which counts for stats sent to thousands of dashboards.)
 */
export function firstThenDeltas<T>(
  changes: AsyncIterable<T>,
  current: () => Promise<T[]>,
  accept?: (change: T) => boolean | Promise<boolean>,
): Repeater<T> {
  return new Repeater<T>(async (push, stop) => {
    const it = changes[Symbol.asyncIterator]();
    let next = it.next(); // starts listening
    // Stopping ends the changes, which settles a waiting next() as done. (Not a Promise.race
    // with the stop per change: each race leaves a reaction on the stop promise until the
    // subscription ends, which grew the engine's memory with every message it sent.)
    void stop.then(() => it.return?.());
    try {
      for (const value of await current()) await push(value);
      for (;;) {
        const r = await next;
        if (r.done) break;
        if (!accept || (await accept(r.value))) await push(r.value);
        next = it.next();
      }
    } finally {
      await it.return?.();
      stop();
    }
  });
}
