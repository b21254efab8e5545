// Every sample goes to the raw history tables, buffered and written in batches (one
// createMany per table per flush) instead of a row per report.
import type { Db } from '../db.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

export class SampleBuffer {
  private hosts: Prisma.HostSampleCreateManyInput[] = [];
  private vms: Prisma.VmSampleCreateManyInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db, private readonly maxRows = 2000) {}

  add(hosts: Prisma.HostSampleCreateManyInput[], vms: Prisma.VmSampleCreateManyInput[]) {
    this.hosts.push(...hosts);
    this.vms.push(...vms);
    if (this.hosts.length + this.vms.length >= this.maxRows) void this.flush();
  }

  get pending() { return this.hosts.length + this.vms.length; }

  /** Writes what is buffered; flushes run one after another. */
  flush(): Promise<void> {
    const hosts = this.hosts;
    const vms = this.vms;
    this.hosts = [];
    this.vms = [];
    this.flushing = this.flushing.then(async () => {
      if (!hosts.length && !vms.length) return;
      try {
        await this.db.$transaction([this.db.hostSample.createMany({ data: hosts }), this.db.vmSample.createMany({ data: vms })]);
      } catch (err) {
        console.error(`history: dropped ${hosts.length + vms.length} samples:`, err);
      }
    });
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
