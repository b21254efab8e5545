// The balancer's snapshot of a cluster: its hosts with what they commit and their CPU over the
// cluster's window (the stored samples, flushed first), its running VMs with their affinity and
// CPU, which were migrated lately, and what power saving needs (since when hosts are empty, which
// have power management).
import type { Db } from '../db.ts';
import type { PendingVm } from '../scheduler/pending.ts';
import { loadHosts, loadVms } from '../scheduler/scheduler.ts';
import type { BalanceInput } from './types.ts';
import { haReservationProblem } from '../scheduler/haReservation.ts';

export interface BalancerSettings {
  /** How often each cluster is balanced (default a minute). */
  intervalMs: number;
  /** A VM migrated (by anyone) is left alone this long (default 10 minutes). */
  quietMs: number;
  /** Migrations one cycle starts per cluster (default 3). */
  maxMigrations: number;
}

export const DEFAULT_BALANCER: BalancerSettings = { intervalMs: 60_000, quietMs: 10 * 60_000, maxMigrations: 3 };

/** Samples must cover this share of the window (from its start and up to now) for a host's CPU to count. */
const COVERAGE = 0.5;

export async function loadCluster(
  db: Db,
  clusterId: string,
  now: Date,
  pending: PendingVm[],
  settings: BalancerSettings,
): Promise<BalanceInput | null> {
  const cluster = await db.cluster.findUnique({ where: { id: clusterId } });
  if (!cluster) return null;
  const windowMs = cluster.cpuOverloadMinutes * 60_000;
  const from = new Date(now.getTime() - windowMs);
  const candidates = await loadHosts(db, clusterId, pending, {});
  const rows = await db.host.findMany({
    where: { clusterId },
    select: {
      id: true,
      cpuSockets: true,
      cpuCores: true,
      cpuThreads: true,
      emptySince: true,
      _count: { select: { fenceAgents: true } },
    },
  });
  const saving = cluster.schedulingPolicy === 'power_saving';
  // Under power saving with an HA reservation, the empty Up hosts the reservation cannot do without.
  const needed = new Set<string>();
  if (saving && cluster.haReservation)
    for (const h of candidates)
      if (h.status === 'UP' && h.vmCount === 0 && (await haReservationProblem(db, clusterId, undefined, [h.id]))) needed.add(h.id);
  const stats = await db.hostSample.groupBy({
    by: ['hostId'],
    where: { hostId: { in: rows.map((r) => r.id) }, sampledAt: { gte: from, lte: now } },
    _avg: { cpuPercent: true },
    _min: { cpuPercent: true, sampledAt: true },
    _max: { cpuPercent: true, sampledAt: true },
  });
  const slack = windowMs * (1 - COVERAGE);
  const hosts = candidates.map((h) => {
    const r = rows.find((x) => x.id === h.id)!;
    const s = stats.find((x) => x.hostId === h.id);
    const covered =
      s?._min.sampledAt &&
      s._max.sampledAt &&
      s._min.sampledAt.getTime() <= from.getTime() + slack &&
      s._max.sampledAt.getTime() >= now.getTime() - slack;
    return {
      ...h,
      threads: r.cpuSockets * r.cpuCores * r.cpuThreads,
      emptySince: r.emptySince,
      powerManagement: r._count.fenceAgents > 0,
      neededForHaReservation: needed.has(h.id),
      cpu: covered ? { mean: s._avg.cpuPercent ?? 0, min: s._min.cpuPercent ?? 0, max: s._max.cpuPercent ?? 0 } : null,
    };
  });
  const running = await db.vm.findMany({
    where: { clusterId, status: 'UP', hostId: { in: hosts.map((h) => h.id) } },
    select: { id: true, hostId: true },
    orderBy: { name: 'asc' },
  });
  const vms = running.length
    ? await loadVms(
        db,
        running.map((v) => v.id),
        pending,
      )
    : [];
  const vmCpu = await db.vmSample.groupBy({
    by: ['vmId'],
    where: { vmId: { in: running.map((v) => v.id) }, sampledAt: { gte: from, lte: now } },
    _avg: { cpuPercent: true },
  });
  const recent = await db.job.findMany({
    where: { actionType: 'MigrateVm', startedAt: { gte: new Date(Date.now() - settings.quietMs) }, hostId: { in: rows.map((r) => r.id) } },
    select: { vmId: true, hostId: true, startedAt: true },
  });
  const lately = (vmId: string) =>
    recent.filter((j) => j.vmId === vmId).reduce<Date | null>((a, j) => (!a || j.startedAt > a ? j.startedAt : a), null);
  // Sources (the job's host) and destinations (where a migrated VM runs now) of recent migrations.
  const settling = new Set(recent.flatMap((j) => (j.hostId ? [j.hostId] : [])));
  for (const v of running) if (v.hostId && lately(v.id)) settling.add(v.hostId);
  return {
    clusterName: cluster.name,
    schedulingPolicy: cluster.schedulingPolicy,
    thresholds: {
      highUtilizationPercent: cluster.highUtilizationPercent,
      lowUtilizationPercent: cluster.lowUtilizationPercent,
      cpuOverloadMinutes: cluster.cpuOverloadMinutes,
      maxVmCountDifference: cluster.maxVmCountDifference,
    },
    hosts: hosts.map((h) => ({ ...h, settling: settling.has(h.id) })),
    vms: vms.map(({ vm, cluster: c }) => {
      const migrated = lately(vm.id);
      return {
        ...vm,
        hostId: running.find((r) => r.id === vm.id)!.hostId!,
        cpuPercent: vmCpu.find((x) => x.vmId === vm.id)?._avg.cpuPercent ?? 0,
        // Job times are the database's wall clock, as the quiet period is.
        quietUntil: migrated ? new Date(migrated.getTime() + settings.quietMs) : null,
        policy: c.policy,
      };
    }),
    maxMigrations: settings.maxMigrations,
    haReservation: cluster.haReservation,
    memoryOvercommitPercent: cluster.memoryOvercommitPercent,
    powerSaving: { spareHosts: cluster.powerSavingSpareHosts, idleMinutes: cluster.powerSavingIdleMinutes, now },
  };
}
