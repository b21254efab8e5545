// Power saving's memory of empty hosts: each balancer cycle stamps the Up hosts of a cluster that
// run no VM, and receive none, with the engine's clock (Host.emptySince) and clears the others, so
// the idle time survives an engine restart and any engine's balancePlan reads it.
import type { Db } from '../db.ts';
import type { VmStatus } from '../../generated/prisma/enums.ts';

const NOT_RUNNING: VmStatus[] = ['DOWN', 'SUSPENDED'];

/** @param receiving hosts a start or a migration promised to (the engine's pending placements) */
export async function trackEmptyHosts(db: Db, clusterId: string, now: Date, receiving: string[]): Promise<void> {
  const incoming = await db.vm.findMany({
    where: { migratingToHostId: { not: null }, clusterId },
    select: { migratingToHostId: true },
  });
  const busy = [...receiving, ...incoming.map((v) => v.migratingToHostId!)];
  const runs = { some: { status: { notIn: NOT_RUNNING } } };
  await db.host.updateMany({
    where: { clusterId, emptySince: { not: null }, OR: [{ status: { not: 'UP' } }, { vms: runs }, { id: { in: busy } }] },
    data: { emptySince: null },
  });
  await db.host.updateMany({
    where: { clusterId, status: 'UP', emptySince: null, vms: { none: { status: { notIn: NOT_RUNNING } } }, id: { notIn: busy } },
    data: { emptySince: now },
  });
  // A host powered on by someone else is no longer power saving's to power on.
  await db.host.updateMany({ where: { clusterId, powerSavingOff: true, status: { not: 'DOWN' } }, data: { powerSavingOff: false } });
}
