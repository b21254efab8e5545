// What the in-memory sample buffers share: a flush every few seconds while started, flushes run
// one after another (never two writes of one buffer at once), and a last flush on stop.

export abstract class PeriodicFlush {
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  /** Takes what is buffered now and writes it (through `queue`). */
  abstract flush(): Promise<void>;

  /** Runs `write` after the flushes before it; resolves when it is done. */
  protected queue(write: () => Promise<void>): Promise<void> {
    this.flushing = this.flushing.then(write);
    return this.flushing;
  }

  start(everyMs: number) {
    this.timer ??= setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
