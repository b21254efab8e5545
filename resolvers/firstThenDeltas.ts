import { Repeater } from 'graphql-yoga';

/**
 * A subscription's stream: the current state first, then every change. The change stream is
 * listened to before the current state is read, so nothing between the two is lost.
 */
export function firstThenDeltas<T>(changes: AsyncIterable<T>, current: () => Promise<T[]>): Repeater<T> {
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
        await push(r.value);
        next = it.next();
      }
    } finally {
      await it.return?.();
      stop();
    }
  });
}
