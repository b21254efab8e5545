// What the balancer would do in a cluster now, and why: the query balancePlan and each cycle.
import type { Engine } from '../engine.ts';
import { loadCluster } from './loadCluster.ts';
import { planBalance } from './plan.ts';
import type { BalancePlan } from './types.ts';

/** null when the cluster does not exist. Buffered samples are written first, so the window is current. */
export async function balancePlan(engine: Engine, clusterId: string): Promise<BalancePlan | null> {
  await engine.monitoring.history.flush();
  const input = await loadCluster(engine.db, clusterId, engine.now(), engine.scheduler.pending.list(), engine.balancing);
  return input ? planBalance(input) : null;
}
