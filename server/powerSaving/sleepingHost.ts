// Placement over the hosts power saving powered off: which of them would take the VM were it
// Up (the scheduler's filters and weights, on an empty host), so placement can power it on.
import type { Db, Tx } from '../db.ts';
import type { PendingVm } from '../scheduler/pending.ts';
import { loadHosts, loadVms } from '../scheduler/scheduler.ts';
import { schedule } from '../scheduler/schedule.ts';

/** The hosts of the cluster power saving powered off (and still Down). */
export async function sleepingHostIds(db: Db | Tx, clusterId: string): Promise<string[]> {
  const asleep = await db.host.findMany({ where: { clusterId, powerSavingOff: true, status: 'DOWN' }, select: { id: true } });
  return asleep.map((h) => h.id);
}

/** The powered-off host of the VM's cluster that would take it once Up, or null. */
export async function sleepingHostFor(
  db: Db | Tx,
  vmId: string,
  opts: { exclude?: string[] },
  pending: PendingVm[],
): Promise<{ id: string; name: string } | null> {
  const [{ vm, cluster }] = await loadVms(db, [vmId], pending);
  const ids = new Set(await sleepingHostIds(db, cluster.id));
  if (!ids.size) return null;
  const hosts = (await loadHosts(db, cluster.id, pending, { exclude: opts.exclude ?? [] }))
    .filter((h) => ids.has(h.id))
    .map((h) => ({ ...h, status: 'UP' as const }));
  const chosen = schedule(hosts, vm, cluster.policy).hostId;
  return hosts.find((h) => h.id === chosen) ?? null;
}
