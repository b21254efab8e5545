// PURE: power saving's other half (oVirt's PowerSavingBalancePolicyUnit with automatic host power
// management): once the cycle's moves are counted in, the Up hosts without VMs beyond the cluster's
// spares that have been empty for its idle time, and have power management, are put into
// maintenance and powered off, those empty longest first. Placement powers them on again when it
// needs room (server/powerSaving/).
import type { HostLoad, PlannedPowerOff } from './types.ts';

export interface PowerSavingSettings {
  /** Up hosts without VMs kept running. */
  spareHosts: number;
  /** How long a host must have been empty. */
  idleMinutes: number;
  now: Date;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function planPowerOffs(hosts: HostLoad[], s: PowerSavingSettings): { powerOffs: PlannedPowerOff[]; notes: string[] } {
  const empty = hosts.filter((h) => h.status === 'UP' && h.vmCount === 0);
  const excess = empty.length - s.spareHosts;
  if (!empty.length) return { powerOffs: [], notes: [] };
  const spares = plural(s.spareHosts, 'spare Up host', 'spare Up hosts');
  if (excess <= 0)
    return {
      powerOffs: [],
      notes: [`${plural(empty.length, 'Up host runs', 'Up hosts run')} no VM; the cluster keeps ${spares}, so none is powered off.`],
    };
  const idleMs = s.idleMinutes * 60_000;
  const notes: string[] = [];
  const eligible: HostLoad[] = [];
  for (const h of empty) {
    if (!h.powerManagement) notes.push(`Host ${h.name} runs no VM but has no power management, so power saving cannot power it off.`);
    else if (h.neededForHaReservation)
      notes.push(`Host ${h.name} runs no VM but stays Up: without it the cluster could not keep its HA reservation.`);
    else if (!h.emptySince || s.now.getTime() - h.emptySince.getTime() < idleMs) {
      const at = new Date((h.emptySince ?? s.now).getTime() + idleMs);
      notes.push(`Host ${h.name} runs no VM; it is powered off once it has run none for ${s.idleMinutes} min (at ${at.toISOString()}).`);
    } else eligible.push(h);
  }
  eligible.sort((a, b) => a.emptySince!.getTime() - b.emptySince!.getTime() || a.name.localeCompare(b.name));
  const powerOffs = eligible.slice(0, excess).map((h) => {
    const minutes = Math.floor((s.now.getTime() - h.emptySince!.getTime()) / 60_000);
    return {
      hostId: h.id,
      hostName: h.name,
      reason: `host ${h.name} has run no VM for ${minutes} min and the cluster keeps ${spares}: it is put into maintenance and powered off.`,
    };
  });
  for (const h of eligible.slice(excess)) notes.push(`Host ${h.name} runs no VM and stays Up: the cluster keeps ${spares}.`);
  return { powerOffs, notes };
}
