// Cluster capacity: what each cluster's hosts have against what its VMs are given, the memory its
// hosts used over the window, and that use's trend (least-squares slope of the cluster's history).
import type { Db } from '../db.ts';
import type { Visibility } from '../auth/permissions.ts';
import { systemStatsHistory } from '../history/statsHistory.ts';
import { statsWindow } from '../history/statsWindow.ts';
import { barsOf, round2, type Report, type ReportParams } from './report.ts';
import { scopedHosts, scopedVms } from './scope.ts';

const DAY = 86_400_000;

/** Least-squares slope of the points, in units per day; 0 with fewer than two points. */
export function slopePerDay(points: { at: Date; value: number }[]): number {
  if (points.length < 2) return 0;
  const xs = points.map((p) => p.at.getTime() / DAY);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.value, 0) / points.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return sxx ? xs.reduce((a, x, i) => a + (x - mx) * (points[i]!.value - my), 0) / sxx : 0;
}

export async function clusterCapacity(db: Db, v: Visibility, p: ReportParams): Promise<Report> {
  const [hosts, vms] = await Promise.all([scopedHosts(db, v, p), scopedVms(db, v, p)]);
  const clusters = [...new Map([...hosts, ...vms].map((o) => [o.cluster.id, o.cluster])).values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const w = statsWindow({ from: p.from, to: p.to }, p.to);
  const rows = [];
  for (const c of clusters) {
    const ch = hosts.filter((h) => h.clusterId === c.id);
    const cv = vms.filter((vm) => vm.clusterId === c.id);
    const memMb = ch.reduce((a, h) => a + h.memoryMb, 0);
    const threads = ch.reduce((a, h) => a + h.cpuSockets * h.cpuCores * h.cpuThreads, 0);
    const vmMemMb = cv.reduce((a, vm) => a + vm.memoryMb, 0);
    const vcpus = cv.reduce((a, vm) => a + vm.cpuSockets * vm.cpuCores * vm.cpuThreads, 0);
    const history = (await systemStatsHistory(db, v, w, c.id)).map((pt) => ({ at: pt.sampledAt, value: pt.memUsedPercent }));
    const used = history.length ? history.reduce((a, pt) => a + pt.value, 0) / history.length : null;
    rows.push([
      c.name,
      ch.length,
      ch.filter((h) => h.status === 'UP').length,
      threads,
      vcpus,
      memMb,
      vmMemMb,
      memMb ? round2((vmMemMb * 100) / memMb) : null,
      used === null ? null : round2(used),
      round2(slopePerDay(history)),
    ]);
  }
  return {
    kind: 'CLUSTER_CAPACITY',
    title: 'Cluster capacity',
    from: p.from,
    to: p.to,
    columns: [
      { key: 'cluster', label: 'Cluster', unit: null },
      { key: 'hosts', label: 'Hosts', unit: null },
      { key: 'hostsUp', label: 'Hosts up', unit: null },
      { key: 'cpuThreads', label: 'CPU threads', unit: null },
      { key: 'vcpus', label: 'vCPUs given', unit: null },
      { key: 'memory', label: 'Host memory', unit: 'MiB' },
      { key: 'vmMemory', label: 'VM memory given', unit: 'MiB' },
      { key: 'memoryCommitted', label: 'Memory committed', unit: '%' },
      { key: 'memUsedAvg', label: 'Host memory used mean', unit: '%' },
      { key: 'memUsedTrend', label: 'Host memory used trend', unit: 'points/day' },
    ],
    rows,
    chart: { title: 'Host memory used mean per cluster', unit: '%', bars: barsOf(rows, 0, 8) },
  };
}
