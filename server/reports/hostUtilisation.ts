// Host utilisation: each host's CPU, memory and VMs over the window, busiest first.
import type { Db } from '../db.ts';
import type { Visibility } from '../auth/permissions.ts';
import { HOST } from '../warehouse/levels.ts';
import { windowFigures } from './windowFigures.ts';
import { barsOf, round2, type Report, type ReportParams } from './report.ts';
import { idList, scopedHosts } from './scope.ts';

export async function hostUtilisation(db: Db, v: Visibility, p: ReportParams): Promise<Report> {
  const hosts = await scopedHosts(db, v, p);
  const figures = await windowFigures(db, HOST, idList(hosts.map((h) => h.id)), p.from, p.to);
  const rows = hosts
    .map((h) => {
      const f = figures.get(h.id);
      const memPercent = f && h.memoryMb ? (f.avg.memUsedMb! * 100) / h.memoryMb : null;
      return [
        h.name,
        h.cluster.name,
        f?.samples ?? 0,
        f ? round2(f.avg.cpuPercent!) : null,
        f ? round2(f.max.cpuPercent!) : null,
        f ? Math.round(f.avg.memUsedMb!) : null,
        memPercent === null ? null : round2(memPercent),
        f ? round2(f.avg.runningVms!) : null,
      ];
    })
    .sort((a, b) => Number(b[3] ?? -1) - Number(a[3] ?? -1))
    .slice(0, p.top ?? undefined);
  return {
    kind: 'HOST_UTILISATION',
    title: 'Host utilisation',
    from: p.from,
    to: p.to,
    columns: [
      { key: 'host', label: 'Host', unit: null },
      { key: 'cluster', label: 'Cluster', unit: null },
      { key: 'samples', label: 'Samples', unit: null },
      { key: 'cpuAvg', label: 'CPU mean', unit: '%' },
      { key: 'cpuMax', label: 'CPU max', unit: '%' },
      { key: 'memUsedAvg', label: 'Memory used mean', unit: 'MiB' },
      { key: 'memUsedPercent', label: 'Memory used mean', unit: '%' },
      { key: 'runningVmsAvg', label: 'Running VMs mean', unit: null },
    ],
    rows,
    chart: { title: 'CPU mean per host', unit: '%', bars: barsOf(rows, 0, 3) },
  };
}
