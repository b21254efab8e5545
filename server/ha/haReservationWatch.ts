// The periodic check of HA reservation (oVirt's HaReservationHandling): every cluster that asks for
// one is checked, and an event says when it can no longer restart the highly available VMs of one
// of its hosts (a host went away, VMs grew) and when it can again.
import type { Engine } from '../engine.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { recordEvents } from '../actions/actionEvents.ts';
import { haReservationProblem } from '../scheduler/haReservation.ts';

export class HaReservationWatch {
  /** Clusters found short, with the reason said. */
  private readonly short = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private passing: Promise<void> | null = null;

  constructor(
    private readonly engine: Engine,
    /** How often (default 60 s). */
    private readonly everyMs = 60_000,
  ) {}

  start() {
    this.timer = setInterval(() => void this.check(), this.everyMs);
    this.timer.unref();
    void this.check();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.passing;
  }

  /** Checks every cluster now (also what the timer runs). */
  check(): Promise<void> {
    this.passing ??= this.pass()
      .catch((err) => console.error('HA reservation:', err))
      .finally(() => {
        this.passing = null;
      });
    return this.passing;
  }

  private async pass() {
    const clusters = await this.engine.db.cluster.findMany({ where: { haReservation: true }, select: { id: true, name: true } });
    for (const id of this.short.keys()) if (!clusters.some((c) => c.id === id)) this.short.delete(id);
    for (const c of clusters) {
      const problem = await haReservationProblem(this.engine.db, c.id);
      const objects = { clusterId: c.id };
      if (problem && this.short.get(c.id) !== problem) {
        this.short.set(c.id, problem);
        await recordEvents(this.engine, SYSTEM_ACTOR, [
          { code: 'CLUSTER_ALERT_HA_RESERVATION', vars: { clusterName: c.name, reason: problem }, objects },
        ]);
      } else if (!problem && this.short.delete(c.id))
        await recordEvents(this.engine, SYSTEM_ACTOR, [
          { code: 'CLUSTER_ALERT_HA_RESERVATION_DOWN', vars: { clusterName: c.name }, objects },
        ]);
    }
  }
}
