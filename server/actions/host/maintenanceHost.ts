// MaintenanceHost: evacuate a host by live-migrating each of its VMs (each its own MigrateVm
// job) where one plan for all of them puts it, then put it in Maintenance; refused up front when
// the plan finds no room for some VM. When only hosts power saving powered off have room, the plan
// counts them in and they are powered on first (makeRoom), as placement does for runVm. When a migration fails the host stays
// PreparingForMaintenance with the reason (as oVirt): an administrator activates it or tries again.
import { z } from 'zod';
import type { Db, Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { ValidationError, VireoError, type Reason } from '../../errors.ts';
import type { ActionDefinition, FollowOutcome } from '../defineAction.ts';
import { startAction } from '../runAction.ts';
import { migrateVm } from '../vm/lifecycle/migrateVm.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';
import { Scheduler, type PlannedVm } from '../../scheduler/scheduler.ts';
import { dropSnapshots } from '../../jobs/jobs.ts';
import type { ActionContext } from '../defineAction.ts';
import type { Engine } from '../../engine.ts';
import { sleepingHostIds } from '../../powerSaving/sleepingHost.ts';
import { powerOnHost } from '../../powerSaving/powerOnForPlacement.ts';

const params = z.object({ hostId: nodeId('Host', 'id') });
type Params = z.infer<typeof params>;
type HostRow = { id: string; name: string; clusterId: string };
export interface Evacuation {
  host: HostRow;
  /** Each VM and the host the plan puts it on, the largest first. */
  moves: { vmId: string; vmName: string; hostId: string }[];
  outcomes: Promise<boolean>[];
  /** Why migrations could not even start, by VM name. */
  notStarted: string[];
}

const TITLE = 'switch Host to maintenance';
const EVACUABLE = ['UP', 'NON_OPERATIONAL', 'PREPARING_FOR_MAINTENANCE'];

/**
 * One plan for all the host's running VMs, over the Up hosts and, for VMs none of them takes, the
 * hosts power saving powered off (the dry run's scheduler sees no starts in flight, as placementCheck).
 */
async function evacuationPlan(
  tx: Db | Tx,
  scheduler: Scheduler,
  host: { id: string; clusterId: string; vms: { id: string; status: string }[] },
): Promise<PlannedVm[]> {
  const vmIds = host.vms.filter((v) => v.status === 'UP').map((v) => v.id);
  const asleep = await sleepingHostIds(tx, host.clusterId);
  return scheduler.planMigrations(tx, vmIds, { exclude: [host.id], asleep });
}

const schedulerOf = (ctx: ActionContext) => (ctx.dryRun ? new Scheduler() : ctx.engine.scheduler);

/** Why the plan cannot be carried out yet: the hosts it counts on are powered off. */
function poweredOff(p: PlannedVm): Reason {
  return {
    code: 'VM_CANNOT_BE_EVACUATED',
    message: `VM ${p.vmName} can only be migrated to a host power saving powered off, and that host could not be powered on (see the event log).`,
  };
}

/** makeRoom: powers on the hosts power saving powered off the plan puts VMs on; true when all came Up. */
async function powerOnPlanned(engine: Engine, hostId: string): Promise<boolean> {
  const host = await loadHost(engine.db, hostId);
  const plan = await evacuationPlan(engine.db, engine.scheduler, host);
  // A VM no host would take, even powered on: powering hosts on would not help.
  if (plan.some((m) => !m.hostId)) return false;
  const first = new Map<string, PlannedVm>();
  for (const m of plan) if (m.powerOn && !first.has(m.hostId!)) first.set(m.hostId!, m);
  if (!first.size) return false;
  const up = await Promise.all([...first].map(([id, m]) => powerOnHost(engine, id, { id: m.vmId, name: m.vmName }, 'receive')));
  return up.every(Boolean);
}

/** Why a VM of the plan has nowhere to go. */
function noRoom(p: PlannedVm): Reason {
  return {
    code: 'VM_CANNOT_BE_EVACUATED',
    message: `VM ${p.vmName} cannot be migrated: ${p.rejections.map((r) => r.message).join(' ') || 'no other host in the cluster.'}`,
  };
}

async function loadHost(tx: Db | Tx, hostId: string) {
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
        !EVACUABLE.includes(host.status),
        'HOST_STATUS_ILLEGAL',
        `Host ${host.name} is ${host.status}; only an Up or NonOperational host can go to maintenance.`,
      ),
    ];
    for (const vm of host.vms)
      if (vm.status !== 'UP')
        reasons.push({ code: 'VM_NOT_MIGRATABLE', message: `VM ${vm.name} is ${vm.status}; only Up VMs can be migrated away.` });
    for (const planned of await evacuationPlan(ctx.tx, schedulerOf(ctx), host)) if (!planned.hostId) reasons.push(noRoom(planned));
    return reasons;
  },
  async job(tx, p) {
    const host = await loadHost(tx, p.hostId);
    return { description: `Moving host ${host.name} to maintenance`, hostId: host.id };
  },
  async prepare(ctx, p) {
    const host = await loadHost(ctx.tx, p.hostId);
    const plan = await evacuationPlan(ctx.tx, schedulerOf(ctx), host);
    const refused = plan.filter((m) => !m.hostId);
    if (refused.length) throw new ValidationError(TITLE, refused.map(noRoom));
    // Hosts power saving powered off are powered on first (makeRoom), then the plan is made again.
    const asleep = plan.filter((m) => m.powerOn);
    if (asleep.length) throw new ValidationError(TITLE, asleep.map(poweredOff));
    await ctx.snapshot('Host', host.id, { status: host.status, statusReason: host.statusReason });
    await ctx.tx.host.update({ where: { id: host.id }, data: { status: 'PREPARING_FOR_MAINTENANCE', statusReason: '' } });
    ctx.publish('host:changed', { id: host.id, kind: 'updated' });
    return {
      host: { id: host.id, name: host.name, clusterId: host.clusterId },
      moves: plan.map((m) => ({ vmId: m.vmId, vmName: m.vmName, hostId: m.hostId! })),
      outcomes: [],
      notStarted: [],
    };
  },
  async onHost(ctx, _p, marked) {
    // A migration that cannot start fails the evacuation as one that fails later does (the host stays PreparingForMaintenance).
    for (const { vmId, vmName, hostId } of marked.moves) {
      try {
        marked.outcomes.push((await startAction(ctx.engine, ctx.actor, migrateVm, { vmId, hostId })).outcome);
      } catch (e) {
        marked.notStarted.push(`VM ${vmName}: ${e instanceof VireoError ? e.message : String(e)}`);
        marked.outcomes.push(Promise.resolve(false));
      }
    }
  },
  makeRoom: ({ engine }, p, refusal) =>
    refusal.reasons.every((r) => r.code === 'VM_CANNOT_BE_EVACUATED') ? powerOnPlanned(engine, p.hostId) : Promise.resolve(false),
  execute: async (_ctx, _p, marked) => marked,
  audit: ({ host }) => ({
    code: 'USER_VDS_MAINTENANCE',
    vars: { hostName: host.name },
    objects: { hostId: host.id, clusterId: host.clusterId },
  }),
  async follow(ctx, _p, { host, outcomes, notStarted }): Promise<FollowOutcome> {
    const results = await Promise.all(outcomes);
    const objects = { hostId: host.id, clusterId: host.clusterId };
    const failed = results.filter((ok) => !ok).length;
    if (failed) {
      // The host stays PreparingForMaintenance with the reason, as oVirt leaves it.
      const why = notStarted.length ? ` (${notStarted.join('; ')})` : '';
      const reason = `${failed} of ${results.length} ${results.length === 1 ? 'VM' : 'VMs'} could not be migrated${why}; the host stays PreparingForMaintenance (activate it, or try again).`;
      await dropSnapshots(ctx.engine.db, ctx.jobId!);
      await ctx.engine.db.host.update({ where: { id: host.id }, data: { statusReason: reason } });
      ctx.engine.pubsub.publish('host:changed', { id: host.id, kind: 'updated' });
      return { ok: false, step: reason, audit: { code: 'VDS_MAINTENANCE_FAILED', vars: { hostName: host.name, reason }, objects } };
    }
    await ctx.engine.db.host.update({ where: { id: host.id }, data: { status: 'MAINTENANCE', statusReason: '' } });
    ctx.engine.pubsub.publish('host:changed', { id: host.id, kind: 'updated' });
    return {
      ok: true,
      audit: {
        code: 'VDS_MAINTENANCE',
        vars: { hostName: host.name, vmsMigrated: `${results.length} ${results.length === 1 ? 'VM was' : 'VMs were'}` },
        objects,
      },
    };
  },
  api: {
    mutation: 'maintenanceHost',
    description:
      'Move a host to maintenance: its VMs are live-migrated to other hosts of the cluster first, where one plan for all of them puts them (hosts power saving powered off are powered on when the Up ones lack room; refused when one cannot go anywhere); when a migration fails the host stays PreparingForMaintenance with the reason.',
    payload: { field: 'result', type: 'HostActionResult' },
    result: (_r, run) => ({ objectId: run.params.hostId, jobId: run.jobId! }),
  },
};
