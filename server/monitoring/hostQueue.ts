// Monitoring's work queue: the jobs of one host run one at a time in arrival order, and all hosts
// together hold at most `limit` database transactions. A burst of reports waits here, in order,
// instead of piling up in the connection pool until Prisma's transaction wait times out.
export class HostQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`HostQueue limit must be at least 1, got ${limit}`);
  }

  /** Jobs running now (at most `limit`). */
  get inFlight() {
    return this.running;
  }

  /** Jobs whose turn on their host has come, waiting for a free slot. */
  get waitingForSlot() {
    return this.waiting.length;
  }

  /** Whether a job of this host is queued or running. */
  busy(hostId: string): boolean {
    return this.tails.has(hostId);
  }

  /** Runs fn after every earlier job of the same host, once fewer than `limit` jobs run. */
  run<T>(hostId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(hostId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.inSlot(fn));
    this.tails.set(hostId, next);
    void next
      .finally(() => {
        if (this.tails.get(hostId) === next) this.tails.delete(hostId);
      })
      .catch(() => undefined);
    return next;
  }

  /** Settles when every job queued so far has settled. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }

  private async inSlot<T>(fn: () => Promise<T>): Promise<T> {
    // A finishing job hands its slot straight to the first waiter, so `running` never overshoots.
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
