// VM utilisation: the top consumers of CPU over the window, with their memory, network and disk.
import type { Db } from '../db.ts';
import type { Visibility } from '../auth/permissions.ts';
import { VM } from '../warehouse/levels.ts';
import { windowFigures } from './windowFigures.ts';
import { barsOf, round2, type Report, type ReportParams } from './report.ts';
import { idList, scopedVms } from './scope.ts';

export async function vmUtilisation(db: Db, v: Visibility, p: ReportParams): Promise<Report> {
  const vms = await scopedVms(db, v, p);
  const figures = await windowFigures(db, VM, idList(vms.map((vm) => vm.id)), p.from, p.to);
  const rows = vms
    .flatMap((vm) => {
      const f = figures.get(vm.id);
      if (!f) return [];
      return [
        [
          vm.name,
          vm.cluster.name,
          f.samples,
          round2(f.avg.cpuPercent!),
          round2(f.max.cpuPercent!),
          Math.round(f.avg.memUsedMb!),
          round2(f.avg.netRxBps! + f.avg.netTxBps!),
          round2(f.avg.diskReadBps! + f.avg.diskWriteBps!),
        ],
      ];
    })
    .sort((a, b) => Number(b[3]) - Number(a[3]))
    .slice(0, p.top ?? undefined);
  return {
    kind: 'VM_UTILISATION',
    title: 'VM utilisation: top consumers',
    from: p.from,
    to: p.to,
    columns: [
      { key: 'vm', label: 'VM', unit: null },
      { key: 'cluster', label: 'Cluster', unit: null },
      { key: 'samples', label: 'Samples', unit: null },
      { key: 'cpuAvg', label: 'CPU mean', unit: '%' },
      { key: 'cpuMax', label: 'CPU max', unit: '%' },
      { key: 'memUsedAvg', label: 'Memory used mean', unit: 'MiB' },
      { key: 'netAvg', label: 'Network mean', unit: 'B/s' },
      { key: 'diskAvg', label: 'Disk I/O mean', unit: 'B/s' },
    ],
    rows,
    chart: { title: 'CPU mean of the top consumers', unit: '%', bars: barsOf(rows, 0, 3) },
  };
}
