// Inventory: per cluster, its data center, hosts and VMs (in all and running) and templates.
import type { Db } from '../db.ts';
import { visible, type Visibility } from '../auth/permissions.ts';
import { barsOf, type Report, type ReportParams } from './report.ts';
import { scopedHosts, scopedVms } from './scope.ts';

export async function inventory(db: Db, v: Visibility, p: ReportParams): Promise<Report> {
  const [hosts, vms, templates] = await Promise.all([
    scopedHosts(db, v, p),
    scopedVms(db, v, p),
    db.template.findMany({
      where: { AND: [visible.template(v) ?? {}, p.clusterId ? { clusterId: p.clusterId } : {}] },
      select: { clusterId: true },
    }),
  ]);
  // The clusters one may see, and those of the hosts and VMs one may see in them.
  const seen = [...new Set([...hosts, ...vms].map((o) => o.clusterId))];
  const clusters = await db.cluster.findMany({
    where: { AND: [v.all ? {} : { id: { in: [...v.clusterIds, ...seen] } }, p.clusterId ? { id: p.clusterId } : {}] },
    include: { dataCenter: true },
    orderBy: { name: 'asc' },
  });
  const rows = clusters.map((c) => {
    const ch = hosts.filter((h) => h.clusterId === c.id);
    const cv = vms.filter((vm) => vm.clusterId === c.id);
    return [
      c.dataCenter.name,
      c.name,
      ch.length,
      ch.filter((h) => h.status === 'UP').length,
      cv.length,
      cv.filter((vm) => vm.status === 'UP').length,
      templates.filter((t) => t.clusterId === c.id).length,
    ];
  });
  return {
    kind: 'INVENTORY',
    title: 'Inventory',
    from: p.from,
    to: p.to,
    columns: [
      { key: 'dataCenter', label: 'Data center', unit: null },
      { key: 'cluster', label: 'Cluster', unit: null },
      { key: 'hosts', label: 'Hosts', unit: null },
      { key: 'hostsUp', label: 'Hosts up', unit: null },
      { key: 'vms', label: 'VMs', unit: null },
      { key: 'vmsUp', label: 'VMs running', unit: null },
      { key: 'templates', label: 'Templates', unit: null },
    ],
    rows,
    chart: { title: 'VMs per cluster', unit: null, bars: barsOf(rows, 1, 4, 20) },
  };
}
