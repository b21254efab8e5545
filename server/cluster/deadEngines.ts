// On the leader: engines whose heartbeat stopped are marked stopped, and the actions they were
// in the middle of are recovered as a restarted engine recovers its own (server/jobs/recovery.ts):
// undone from their snapshots, or decided by their host's next report. Their action locks need
// nothing: in-process locks died with them, Redis locks expire (server/actions/redisLocks.ts).
import type { Engine } from '../engine.ts';
import { recoverInterruptedJobs, type Recovery } from '../jobs/recovery.ts';

export class DeadEngineRecovery {
  /** Jobs being recovered now (waiting for their host's report). */
  private readonly inProgress = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly engine: Engine,
    private readonly everyMs = 3000,
  ) {}

  /** One pass: buries dead engines and recovers the jobs of every engine not alive. */
  async pass(opts: { waitMs?: number } = {}): Promise<Recovery> {
    const dead = await this.engine.cluster.instances.buryDead();
    if (dead.length) console.log(`engines found dead (no heartbeat): ${dead.join(', ')}`);
    const liveEngines = await this.engine.cluster.instances.live();
    return recoverInterruptedJobs(this.engine, { ...opts, liveEngines, skip: this.inProgress });
  }

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.busy) return; // a pass at a time: two could pick the same job
      this.busy = true;
      this.running = this.pass()
        .then((r) => {
          if (r.undone + r.abandoned + r.waiting)
            console.log(
              `dead engines' jobs: ${r.undone} undone, ${r.abandoned} left to monitoring, ${r.waiting} waiting for their host's report`,
            );
        })
        .catch((e) => console.error("recovering dead engines' jobs:", e))
        .finally(() => {
          this.busy = false;
        });
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
