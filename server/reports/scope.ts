// The hosts and VMs a report covers: those the reader may see (as in the lists), of one cluster
// when asked.
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import { visible, type Visibility } from '../auth/permissions.ts';
import type { ReportParams } from './report.ts';

const inCluster = (p: ReportParams) => (p.clusterId ? { clusterId: p.clusterId } : {});

export function scopedHosts(db: Db, v: Visibility, p: ReportParams) {
  return db.host.findMany({ where: { AND: [visible.host(v) ?? {}, inCluster(p)] }, include: { cluster: true }, orderBy: { name: 'asc' } });
}

export function scopedVms(db: Db, v: Visibility, p: ReportParams) {
  return db.vm.findMany({
    where: { AND: [visible.vm(v) ?? {}, inCluster(p), { external: false }] },
    include: { cluster: true },
    orderBy: { name: 'asc' },
  });
}

/** The ids as a query the history SQL selects from. */
export const idList = (ids: string[]) => Prisma.sql`SELECT unnest(${ids}::uuid[])`;
