// The watchdog's write: a silent host turns NonResponsive and its VMs Unknown, in one transaction.
import type { Db } from '../db.ts';
import { writeEvents } from './writeEvents.ts';
import { silentHosts } from './watchdog.ts';
import type { MonitoringEvent } from './events.ts';

export interface NonResponsiveOutcome {
  hostChanged: boolean;
  vmsChanged: string[];
  auditIds: string[];
}

export async function applyNonResponsive(db: Db, hostId: string, now: Date, timeoutMs: number): Promise<NonResponsiveOutcome> {
  return db.$transaction(async (tx) => {
    const host = await tx.host.findUnique({
      where: { id: hostId },
      select: { id: true, name: true, clusterId: true, status: true, lastSeenAt: true, poweredOff: true },
    });
    // A report may have arrived since the watchdog looked, or the host been powered off on purpose.
    if (!host || host.poweredOff || !silentHosts([host], now, timeoutMs).length)
      return { hostChanged: false, vmsChanged: [], auditIds: [] };
    const vms = await tx.vm.findMany({ where: { hostId, status: { notIn: ['DOWN', 'UNKNOWN'] } }, select: { id: true, name: true } });
    const reason = `no report since ${host.lastSeenAt?.toISOString()}`;
    await tx.host.update({ where: { id: hostId }, data: { status: 'NON_RESPONSIVE', statusReason: reason } });
    if (vms.length) await tx.vm.updateMany({ where: { id: { in: vms.map((v) => v.id) } }, data: { status: 'UNKNOWN' } });
    const objects = { hostId, clusterId: host.clusterId };
    const events: MonitoringEvent[] = [
      { code: 'VDS_FAILURE', vars: { hostName: host.name, reason }, objects },
      ...vms.map(
        (v): MonitoringEvent => ({
          code: 'VM_SET_TO_UNKNOWN_STATUS',
          vars: { vmName: v.name, hostName: host.name },
          objects: { ...objects, vmId: v.id },
        }),
      ),
    ];
    return { hostChanged: true, vmsChanged: vms.map((v) => v.id), auditIds: await writeEvents(tx, events, now) };
  });
}
