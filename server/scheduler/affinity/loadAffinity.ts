// The affinity rules binding VMs, read for the scheduler: each group's rules, its hosts, and
// where its other VMs run (or are about to: a migration's destination, a pending placement).
// A VM on a host preparing for maintenance is leaving it: only where it goes counts.
import type { Db, Tx } from '../../db.ts';
import type { PendingVm } from '../pending.ts';
import type { AffinityPeer, VmAffinity } from '../types.ts';

/** Per VM id, the rules of its groups (an empty list for a VM in none). */
export async function loadAffinity(db: Db | Tx, vmIds: string[], pending: PendingVm[]): Promise<Map<string, VmAffinity[]>> {
  const out = new Map<string, VmAffinity[]>(vmIds.map((id) => [id, []]));
  const groups = await db.affinityGroup.findMany({
    where: { vms: { some: { vmId: { in: vmIds } } } },
    select: {
      name: true,
      vmPolarity: true,
      vmEnforcing: true,
      hostPolarity: true,
      hostEnforcing: true,
      hosts: { select: { hostId: true } },
      vms: { select: { vm: { select: { id: true, name: true, status: true, hostId: true, migratingToHostId: true } } } },
    },
    orderBy: { name: 'asc' },
  });
  if (!groups.length) return out;
  const hostIds = new Set<string>();
  for (const g of groups)
    for (const { vm } of g.vms) {
      if (vm.hostId) hostIds.add(vm.hostId);
      if (vm.migratingToHostId) hostIds.add(vm.migratingToHostId);
    }
  for (const p of pending) hostIds.add(p.hostId);
  const hostRows = await db.host.findMany({ where: { id: { in: [...hostIds] } }, select: { id: true, name: true, status: true } });
  const names = new Map(hostRows.map((h) => [h.id, h.name]));
  const evacuating = new Set(hostRows.filter((h) => h.status === 'PREPARING_FOR_MAINTENANCE').map((h) => h.id));
  for (const g of groups) {
    const peers: AffinityPeer[] = [];
    for (const { vm } of g.vms) {
      const where = new Set<string>();
      if (vm.hostId && vm.status !== 'DOWN' && vm.status !== 'SUSPENDED' && !evacuating.has(vm.hostId)) where.add(vm.hostId);
      if (vm.migratingToHostId) where.add(vm.migratingToHostId);
      for (const p of pending) if (p.vmId === vm.id) where.add(p.hostId);
      for (const hostId of where) peers.push({ vmId: vm.id, vmName: vm.name, hostId, hostName: names.get(hostId) ?? hostId });
    }
    const rules: VmAffinity = {
      group: g.name,
      vms: g.vmPolarity === 'DISABLED' ? null : { positive: g.vmPolarity === 'POSITIVE', enforcing: g.vmEnforcing, peers },
      hosts:
        g.hostPolarity === 'DISABLED'
          ? null
          : { positive: g.hostPolarity === 'POSITIVE', enforcing: g.hostEnforcing, hostIds: g.hosts.map((h) => h.hostId) },
    };
    for (const { vm } of g.vms) out.get(vm.id)?.push(rules);
  }
  return out;
}
