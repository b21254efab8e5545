// MaintenanceHost: evacuate a host by live-migrating each of its VMs (each its own MigrateVm
// job), then put it in Maintenance; refused up front when some VM could not go anywhere.
import { z } from 'zod';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { ActionFailedError, VireoError, type Reason } from '../../errors.ts';
import type { ActionDefinition, FollowOutcome } from '../defineAction.ts';
import { startAction } from '../runAction.ts';
import { migrateVm } from '../vm/lifecycle/migrateVm.ts';
import { placementCheck } from '../vm/lifecycle/placement.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';

const params = z.object({ hostId: nodeId('Host', 'id') });
type Params = z.infer<typeof params>;
type HostRow = { id: string; name: string; clusterId: string };
export interface Evacuation {
  host: HostRow;
  vmIds: string[];
  outcomes: Promise<boolean>[];
}

const TITLE = 'switch Host to maintenance';

async function loadHost(tx: Tx, hostId: string) {
  return found(
    await tx.host.findUnique({
      where: { id: hostId },
      include: { vms: { where: { status: { notIn: ['DOWN', 'SUSPENDED'] } }, select: { id: true, name: true, status: true } } },
    }),
    'Host',
    hostId,
  );
}

export const maintenanceHost: ActionDefinition<Params, Evacuation, Evacuation> = {
  type: 'MaintenanceVds',
  title: TITLE,
  params,
  actionGroup: 'MANIPULATE_HOST',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  holdLocksWhileFollowing: true,
  async validate(ctx, p) {
    const host = await loadHost(ctx.tx, p.hostId);
    const reasons: (Reason | null)[] = [
      refuseWhen(
        host.status !== 'UP' && host.status !== 'NON_OPERATIONAL',
        'HOST_STATUS_ILLEGAL',
        `Host ${host.name} is ${host.status}; only an Up or NonOperational host can go to maintenance.`,
      ),
    ];
    for (const vm of host.vms) {
      if (vm.status !== 'UP') {
        reasons.push({ code: 'VM_NOT_MIGRATABLE', message: `VM ${vm.name} is ${vm.status}; only Up VMs can be migrated away.` });
        continue;
      }
      const refused = await placementCheck(ctx, vm.id, vm.name, 'receive', { exclude: [host.id], incoming: true });
      if (refused.length)
        reasons.push({
          code: 'VM_CANNOT_BE_EVACUATED',
          message: `VM ${vm.name} cannot be migrated: ${
            refused
              .slice(1)
              .map((r) => r.message)
              .join(' ') || 'no other host in the cluster.'
          }`,
        });
    }
    return reasons;
  },
  async job(tx, p) {
    const host = await loadHost(tx, p.hostId);
    return { description: `Moving host ${host.name} to maintenance`, hostId: host.id };
  },
  async prepare(ctx, p) {
    const host = await loadHost(ctx.tx, p.hostId);
    await ctx.snapshot('Host', host.id, { status: host.status });
    await ctx.tx.host.update({ where: { id: host.id }, data: { status: 'PREPARING_FOR_MAINTENANCE' } });
    ctx.publish('host:changed', { id: host.id, kind: 'updated' });
    return { host: { id: host.id, name: host.name, clusterId: host.clusterId }, vmIds: host.vms.map((v) => v.id), outcomes: [] };
  },
  async onHost(ctx, _p, marked) {
    for (const vmId of marked.vmIds) {
      try {
        marked.outcomes.push((await startAction(ctx.engine, ctx.actor, migrateVm, { vmId })).outcome);
      } catch (e) {
        throw new ActionFailedError(TITLE, `could not start migrating VM ${vmId}: ${e instanceof VireoError ? e.message : String(e)}`);
      }
    }
  },
  execute: async (_ctx, _p, marked) => marked,
  audit: ({ host }) => ({
    code: 'USER_VDS_MAINTENANCE',
    vars: { hostName: host.name },
    objects: { hostId: host.id, clusterId: host.clusterId },
  }),
  async follow(ctx, _p, { host, outcomes }): Promise<FollowOutcome> {
    const results = await Promise.all(outcomes);
    const objects = { hostId: host.id, clusterId: host.clusterId };
    const failed = results.filter((ok) => !ok).length;
    if (failed) {
      const reason = `${failed} of ${results.length} VMs could not be migrated; the host stays active.`;
      return { ok: false, step: reason, audit: { code: 'VDS_MAINTENANCE_FAILED', vars: { hostName: host.name, reason }, objects } };
    }
    await ctx.engine.db.host.update({ where: { id: host.id }, data: { status: 'MAINTENANCE' } });
    ctx.engine.pubsub.publish('host:changed', { id: host.id, kind: 'updated' });
    return { ok: true, audit: { code: 'VDS_MAINTENANCE', vars: { hostName: host.name, vmCount: results.length }, objects } };
  },
  api: {
    mutation: 'maintenanceHost',
    description:
      'Move a host to maintenance: its VMs are live-migrated to other hosts of the cluster first (refused when one cannot go anywhere).',
    payload: { field: 'result', type: 'HostActionResult' },
    result: (_r, run) => ({ objectId: run.params.hostId, jobId: run.jobId! }),
  },
};
