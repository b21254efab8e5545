// The engine's step after a lost host's VM leases were found expired (server/ha/leaseRestarts.ts):
// those VMs no longer run there (their host stopped them, or is gone, for the lease's whole
// timeout), so they are set Down and the highly available ones restart elsewhere, without fencing
// the host or waiting for an administrator. Not offered in the API: only the engine knows the leases' state.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { writeAuditLog } from '../../audit/auditLog.ts';
import { releaseHostVms } from './releaseHostVms.ts';

const expired = z.object({
  vmId: z.uuid(),
  /** The host that renewed the lease last, and how long before the check. */
  holder: z.string(),
  sinceRenewalMs: z.number().nonnegative(),
});

export const releaseLeaseExpiredVms = defineAction({
  type: 'ReleaseLeaseExpiredVms',
  title: 'restart VMs whose lease expired',
  actionGroup: 'MANIPULATE_HOST',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params: z.object({ hostId: z.uuid(), vms: z.array(expired).min(1).max(10_000) }),
  locks: (p) => [lockKey('Host', p.hostId), ...p.vms.map((v) => lockKey('Vm', v.vmId))],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const host = found(await tx.host.findUnique({ where: { id: p.hostId }, select: { name: true, status: true } }), 'Host', p.hostId);
    return [
      refuseWhen(
        host.status !== 'NON_RESPONSIVE',
        'HOST_NOT_NON_RESPONSIVE',
        `Host ${host.name} is ${host.status}: it reports its VMs itself.`,
      ),
    ];
  },
  async execute(ctx, p) {
    const { tx } = ctx;
    const host = await tx.host.findUniqueOrThrow({ where: { id: p.hostId }, select: { id: true, name: true, clusterId: true } });
    // Only VMs still on the host with a lease (one set Down meanwhile, or given another host, is left alone).
    const vms = await tx.vm.findMany({
      where: { id: { in: p.vms.map((v) => v.vmId) }, hostId: host.id, leaseStorageDomainId: { not: null } },
      select: { id: true, name: true, leaseStorageDomain: { select: { name: true } } },
    });
    for (const vm of vms) {
      const fact = p.vms.find((v) => v.vmId === vm.id)!;
      const id = await writeAuditLog(tx, {
        code: 'VM_LEASE_EXPIRED',
        vars: {
          vmName: vm.name,
          domainName: vm.leaseStorageDomain?.name ?? '',
          holder: fact.holder,
          seconds: Math.round(fact.sinceRenewalMs / 1000),
          hostName: host.name,
        },
        objects: { vmId: vm.id, hostId: host.id, clusterId: host.clusterId },
        userName: 'SYSTEM',
      });
      ctx.publish('audit:created', { id });
    }
    const released = await releaseHostVms(
      ctx,
      host,
      `its lease expired while host ${host.name} was non responsive.`,
      ctx.engine.now(),
      vms.map((v) => v.id),
    );
    return { host, released };
  },
  audit: ({ host, released }) => ({
    code: 'VDS_LEASES_EXPIRED',
    vars: { hostName: host.name, vms: released.length },
    objects: { hostId: host.id, clusterId: host.clusterId },
  }),
});
