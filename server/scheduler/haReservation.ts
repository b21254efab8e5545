// HA reservation (oVirt's cluster setting): the cluster keeps enough free memory to restart the
// highly available VMs of any one of its Up hosts on the others. Checked by packing each host's
// HA VMs, largest first, into the other hosts' free memory (the memory filter's arithmetic:
// memory × overcommit − what runs there).
import type { Db, Tx } from '../db.ts';

/** A VM about to start (or move) that the check counts where it would run. */
export interface ReservationChange {
  vmId: string;
  hostId: string;
  memoryMb: number;
  highlyAvailable: boolean;
}

/**
 * PURE: why the HA VMs of some Up host could not all be restarted on the others, or null.
 * @param hosts the cluster's Up hosts with the memory they may still promise
 * @param haVms the highly available VMs running on them
 */
export function reservationShortfall(hosts: { id: string; name: string; freeMb: number }[], haVms: { hostId: string; memoryMb: number }[]) {
  for (const lost of hosts) {
    const ha = haVms.filter((v) => v.hostId === lost.id).sort((a, b) => b.memoryMb - a.memoryMb);
    if (!ha.length) continue;
    const room = hosts.filter((h) => h.id !== lost.id).map((h) => h.freeMb);
    for (const vm of ha) {
      const i = room.reduce((best, r, k) => (r >= vm.memoryMb && (best < 0 || r > room[best]!) ? k : best), -1);
      if (i < 0) {
        const total = ha.reduce((n, v) => n + v.memoryMb, 0);
        return `the highly available VMs of host ${lost.name} (${ha.length}, ${total} MiB) could not all be restarted on the other Up hosts`;
      }
      room[i]! -= vm.memoryMb;
    }
  }
  return null;
}

/**
 * Why the cluster cannot keep its HA reservation (with `change` applied, and without the hosts
 * `without`, which power saving would power off), or null when it can or does not ask for one.
 */
export async function haReservationProblem(
  db: Db | Tx,
  clusterId: string,
  change?: ReservationChange,
  without: string[] = [],
): Promise<string | null> {
  const cluster = await db.cluster.findUnique({
    where: { id: clusterId },
    select: { haReservation: true, memoryOvercommitPercent: true },
  });
  if (!cluster?.haReservation) return null;
  const hosts = await db.host.findMany({
    where: { clusterId, status: 'UP', id: { notIn: without } },
    select: { id: true, name: true, memoryMb: true },
    orderBy: { name: 'asc' },
  });
  const running = await db.vm.findMany({
    where: { hostId: { in: hosts.map((h) => h.id) }, status: { notIn: ['DOWN', 'SUSPENDED'] } },
    select: { id: true, hostId: true, memoryMb: true, highlyAvailable: true },
  });
  const vms = running.filter((v) => v.id !== change?.vmId);
  if (change) vms.push({ id: change.vmId, hostId: change.hostId, memoryMb: change.memoryMb, highlyAvailable: change.highlyAvailable });
  const free = new Map(hosts.map((h) => [h.id, Math.floor((h.memoryMb * cluster.memoryOvercommitPercent) / 100)]));
  for (const v of vms) if (v.hostId && free.has(v.hostId)) free.set(v.hostId, free.get(v.hostId)! - v.memoryMb);
  return reservationShortfall(
    hosts.map((h) => ({ id: h.id, name: h.name, freeMb: free.get(h.id)! })),
    vms.flatMap((v) => (v.highlyAvailable && v.hostId ? [{ hostId: v.hostId, memoryMb: v.memoryMb }] : [])),
  );
}
