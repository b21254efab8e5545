// What the event says of a NonResponsive host that cannot be fenced for want of power management:
// its VMs with a lease do not wait for an administrator (server/ha/leaseRestarts.ts sets them Down,
// and restarts the highly available ones, once their leases expire); the others do.
import type { Engine } from '../engine.ts';
import type { AuditOf } from '../actions/defineAction.ts';

export async function noPowerManagement(engine: Engine, host: { id: string; name: string; clusterId: string }): Promise<AuditOf> {
  const objects = { hostId: host.id, clusterId: host.clusterId };
  const on = { hostId: host.id, status: { notIn: ['DOWN' as const, 'SUSPENDED' as const] } };
  const leased = await engine.db.vm.count({ where: { ...on, leaseStorageDomainId: { not: null } } });
  if (!leased) return { code: 'VDS_NO_POWER_MANAGEMENT', vars: { hostName: host.name }, objects };
  const others = await engine.db.vm.count({ where: { ...on, leaseStorageDomainId: null } });
  return {
    code: 'VDS_NO_POWER_MANAGEMENT_LEASES',
    vars: {
      hostName: host.name,
      leased,
      others: others
        ? `its ${others} other VM(s) stay Unknown until an administrator confirms it was rebooted`
        : 'no VM of it waits for an administrator',
    },
    objects,
  };
}
