// Once a host is known not to run anything (its power is off, or an administrator confirmed it
// was rebooted), the VMs the engine placed there are Down and free to run elsewhere.
import type { Tx } from '../../db.ts';
import type { ActionContext } from '../defineAction.ts';
import type { VmStatus } from '../../../generated/prisma/enums.ts';
import { writeAuditLog } from '../../audit/auditLog.ts';

export interface ReleasedVm {
  id: string;
  name: string;
  highlyAvailable: boolean;
  haPriority: number;
}

const NOT_RUNNING: VmStatus[] = ['DOWN', 'SUSPENDED'];

/**
 * Sets the host's VMs Down (no host), drops migrations towards it, writes a VM_DOWN event per VM
 * and queues the highly available ones for a restart elsewhere (HaRestart, server/ha/). `only`: just
 * these VMs of the host (those whose lease expired); the host itself may still be running the others.
 */
export async function releaseHostVms(
  ctx: Pick<ActionContext, 'tx' | 'publish' | 'engine'>,
  host: { id: string; name: string; clusterId: string },
  why: string,
  now: Date,
  only?: string[],
): Promise<ReleasedVm[]> {
  const tx: Tx = ctx.tx;
  const vms = await tx.vm.findMany({
    where: { hostId: host.id, status: { notIn: NOT_RUNNING }, ...(only ? { id: { in: only } } : {}) },
    select: { id: true, name: true, highlyAvailable: true, haPriority: true },
    orderBy: [{ haPriority: 'desc' }, { name: 'asc' }],
  });
  if (vms.length) {
    await tx.vm.updateMany({
      where: { id: { in: vms.map((v) => v.id) } },
      data: { status: 'DOWN', hostId: null, migratingToHostId: null },
    });
    await tx.vmStatistics.deleteMany({ where: { vmId: { in: vms.map((v) => v.id) } } });
    ctx.engine.monitoring.live.forgetVms(vms.map((v) => v.id));
  }
  // A VM migrating towards the host still runs on its source.
  const incoming = only ? [] : await tx.vm.findMany({ where: { migratingToHostId: host.id }, select: { id: true } });
  if (incoming.length) await tx.vm.updateMany({ where: { migratingToHostId: host.id }, data: { migratingToHostId: null } });
  for (const v of [...vms, ...incoming]) ctx.publish('vm:changed', { id: v.id, kind: 'updated' });
  const ha = vms.filter((v) => v.highlyAvailable);
  if (ha.length) {
    // Kept in the same transaction: an engine killed after the commit still restarts them.
    await tx.haRestart.createMany({ data: ha.map((v) => ({ vmId: v.id, fromHostId: host.id, since: now })), skipDuplicates: true });
    ctx.publish('ha:restart', { hostId: host.id });
  }
  for (const v of vms) {
    const id = await writeAuditLog(tx, {
      code: 'VM_DOWN',
      vars: { vmName: v.name, exitMessage: why },
      objects: { hostId: host.id, vmId: v.id, clusterId: host.clusterId },
      userName: 'SYSTEM',
    });
    ctx.publish('audit:created', { id });
  }
  return vms;
}
