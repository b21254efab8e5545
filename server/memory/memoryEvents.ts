// What a host's MOM did (balloons, KSM), as events: only about VMs the engine has on that host.
import type { MemoryEvent } from '../../protocol/messages.ts';
import type { Db } from '../db.ts';
import type { MonitoringEvent } from '../monitoring/events.ts';
import { writeEvents } from '../monitoring/writeEvents.ts';

const CAUSE: Record<'RELIEF' | 'OFF', (e: { freePercent: number; thresholdPercent: number }) => string> = {
  RELIEF: (e) => `${e.freePercent} % of its memory is free, over ${e.thresholdPercent} %`,
  OFF: () => 'ballooning is off in its cluster',
};

/** Writes the events; returns their ids. */
export async function recordMemoryEvents(
  db: Db,
  host: { id: string; name: string; clusterId: string },
  events: MemoryEvent[],
  now: Date,
): Promise<string[]> {
  const vmIds = events.flatMap((e) => (e.kind === 'balloon' ? [e.vmId] : []));
  const vms = vmIds.length ? await db.vm.findMany({ where: { id: { in: vmIds }, hostId: host.id }, select: { id: true, name: true } }) : [];
  const names = new Map(vms.map((v) => [v.id, v.name]));
  const objects = { hostId: host.id, clusterId: host.clusterId };
  const rows: MonitoringEvent[] = events.flatMap((e): MonitoringEvent[] => {
    if (e.kind === 'ksm')
      return [
        e.running
          ? { code: 'VDS_KSM_STARTED', vars: { hostName: host.name, freePercent: e.freePercent }, objects }
          : { code: 'VDS_KSM_STOPPED', vars: { hostName: host.name, reason: `${e.freePercent} % of its memory is free` }, objects },
      ];
    const vmName = names.get(e.vmId);
    if (!vmName) return []; // not a VM of this host: nothing to say about it
    const common = { hostName: host.name, vmName, toMb: e.toMb, deltaMb: Math.abs(e.toMb - e.fromMb) };
    return [
      e.cause === 'PRESSURE'
        ? {
            code: 'VM_MEMORY_RECLAIMED',
            vars: { ...common, freePercent: e.freePercent, thresholdPercent: e.thresholdPercent, guaranteedMb: e.guaranteedMb },
            objects: { ...objects, vmId: e.vmId },
          }
        : { code: 'VM_MEMORY_RETURNED', vars: { ...common, reason: CAUSE[e.cause](e) }, objects: { ...objects, vmId: e.vmId } },
    ];
  });
  if (!rows.length) return [];
  return db.$transaction((tx) => writeEvents(tx, rows, now));
}
