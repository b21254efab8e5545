// VM availability: the share of the window each VM ran, from its stored samples (a running VM's
// host reports it every `sampleIntervalMs`), counted from the VM's creation when it is newer
// than the window, and up to now when the window reaches into the future. Least available first.
import type { Db } from '../db.ts';
import type { Visibility } from '../auth/permissions.ts';
import { VM } from '../warehouse/levels.ts';
import { windowFigures } from './windowFigures.ts';
import { barsOf, round2, type Report, type ReportParams } from './report.ts';
import { idList, scopedVms } from './scope.ts';

export async function vmAvailability(db: Db, v: Visibility, p: ReportParams, now: Date, sampleIntervalMs: number): Promise<Report> {
  const vms = await scopedVms(db, v, p);
  const figures = await windowFigures(db, VM, idList(vms.map((vm) => vm.id)), p.from, p.to);
  const end = Math.min(p.to.getTime(), now.getTime());
  const rows = vms
    .flatMap((vm) => {
      const start = Math.max(p.from.getTime(), vm.createdAt.getTime());
      if (end <= start) return [];
      const samples = figures.get(vm.id)?.samples ?? 0;
      const ranMs = Math.min(end - start, samples * sampleIntervalMs);
      return [[vm.name, vm.cluster.name, vm.status, samples, round2(ranMs / 3_600_000), round2((ranMs * 100) / (end - start))]];
    })
    .sort((a, b) => Number(a[5]) - Number(b[5]))
    .slice(0, p.top ?? undefined);
  return {
    kind: 'VM_AVAILABILITY',
    title: 'VM availability',
    from: p.from,
    to: p.to,
    columns: [
      { key: 'vm', label: 'VM', unit: null },
      { key: 'cluster', label: 'Cluster', unit: null },
      { key: 'status', label: 'Status now', unit: null },
      { key: 'samples', label: 'Samples', unit: null },
      { key: 'ranHours', label: 'Ran', unit: 'h' },
      { key: 'availability', label: 'Availability', unit: '%' },
    ],
    rows,
    chart: { title: 'Availability of the least available VMs', unit: '%', bars: barsOf(rows, 0, 5) },
  };
}
