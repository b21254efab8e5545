// The balancer: every interval, for each cluster, the plan of balancePlan() carried out, each move
// a MigrateVm started as the engine (placement checks it again, so a plan gone stale is refused,
// not forced) and an event saying why; under power_saving, the empty hosts it plans to power off
// are (server/powerSaving/). One cycle at a time.
import type { Engine } from '../engine.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { startAction } from '../actions/runAction.ts';
import { migrateVm } from '../actions/vm/lifecycle/migrateVm.ts';
import { recordEvents } from '../actions/actionEvents.ts';
import { VireoError } from '../errors.ts';
import { balancePlan } from './balancePlan.ts';
import type { BalanceMove } from './types.ts';
import { trackEmptyHosts } from '../powerSaving/emptyHosts.ts';
import { powerOffIdleHost } from '../powerSaving/powerOffIdleHost.ts';

export class Balancer {
  private timer: NodeJS.Timeout | null = null;
  private cycling: Promise<void> | null = null;

  constructor(private readonly engine: Engine) {}

  start(): void {
    this.timer ??= setInterval(() => void this.cycle(), this.engine.balancing.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.cycling;
  }

  /** Balances every cluster once (a cycle already running is waited for instead). */
  cycle(): Promise<void> {
    this.cycling ??= this.balanceAll().finally(() => {
      this.cycling = null;
    });
    return this.cycling;
  }

  private async balanceAll() {
    const clusters = await this.engine.db.cluster.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } });
    for (const c of clusters) {
      try {
        const receiving = this.engine.scheduler.pending.list().map((p) => p.hostId);
        await trackEmptyHosts(this.engine.db, c.id, this.engine.now(), receiving);
        const plan = await balancePlan(this.engine, c.id);
        for (const m of plan?.moves ?? []) await this.carryOut(c, plan!.policy, m);
        for (const off of plan?.powerOffs ?? []) await powerOffIdleHost(this.engine, c, off);
      } catch (e) {
        console.error(`balancer: cluster ${c.name}:`, e);
      }
    }
  }

  private async carryOut(cluster: { id: string; name: string }, policy: string, m: BalanceMove) {
    const vars = { clusterName: cluster.name, policy, vmName: m.vmName, hostName: m.sourceName, destinationName: m.destinationName };
    const objects = { clusterId: cluster.id, vmId: m.vmId, hostId: m.sourceId };
    try {
      await startAction(this.engine, SYSTEM_ACTOR, migrateVm, { vmId: m.vmId, hostId: m.destinationId });
      await recordEvents(this.engine, SYSTEM_ACTOR, [{ code: 'BALANCER_MIGRATE_VM', vars: { ...vars, reason: m.reason }, objects }]);
    } catch (e) {
      const reason = e instanceof VireoError ? e.message : String(e);
      await recordEvents(this.engine, SYSTEM_ACTOR, [{ code: 'BALANCER_MIGRATION_REFUSED', vars: { ...vars, reason }, objects }]);
    }
  }
}
