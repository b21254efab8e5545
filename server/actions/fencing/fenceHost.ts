// FenceHost (oVirt's power management actions: status, start, stop, restart): one operation
// through the host's fence agents, in their order. Once the device says the host is off, the VMs
// the engine placed there are Down (highly available ones queued for a restart elsewhere). A host
// powered off stays off until someone powers it on: the watchdog expects no report from it.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { ActionFailedError } from '../../errors.ts';
import type { PowerOutcome } from '../../fencing/powerManagement.ts';
import type { HostStatus } from '../../../generated/prisma/enums.ts';
import { releaseHostVms, type ReleasedVm } from './releaseHostVms.ts';
import type { Engine } from '../../engine.ts';
import { recordEvents } from '../actionEvents.ts';
import { SYSTEM_ACTOR } from '../../auth/actor.ts';

const TITLE = 'fence Host';
export const FENCE_ACTIONS = ['STATUS', 'ON', 'OFF', 'REBOOT'] as const;
type FenceAction = (typeof FENCE_ACTIONS)[number];

/** A host in these may run VMs the engine can still reach: power it off only from maintenance. */
const SERVING: HostStatus[] = ['UP', 'PREPARING_FOR_MAINTENANCE', 'CONNECTING', 'INITIALIZING'];

const params = z.object({
  hostId: nodeId('Host', 'host'),
  action: z.enum(FENCE_ACTIONS).meta({ graphql: 'FenceAction' }).describe('STATUS asks the power state; ON, OFF and REBOOT change it.'),
});

export interface FenceHostResult {
  host: { id: string; name: string; clusterId: string };
  action: FenceAction;
  power: 'ON' | 'OFF' | null;
  agent: string;
  released: ReleasedVm[];
}

type Target = { id: string; name: string; clusterId: string; status: HostStatus };

/** The second half of a restart: on again; a failure is an event (the host stays off, its VMs are already Down). */
async function powerOnAgain(engine: Engine, host: Target) {
  const on = await engine.power.operate(host.id, 'on');
  if (on.ok) return;
  await engine.db.host.update({ where: { id: host.id }, data: { status: 'DOWN', statusReason: `powered off; on failed: ${on.message}` } });
  engine.pubsub.publish('host:changed', { id: host.id, kind: 'updated' });
  await recordEvents(engine, SYSTEM_ACTOR, [
    {
      code: 'FENCE_HOST_ON_FAILED',
      vars: { hostName: host.name, reason: on.message },
      objects: { hostId: host.id, clusterId: host.clusterId },
    },
  ]);
}

export const fenceHost = defineAction<z.infer<typeof params>, FenceHostResult, Target, PowerOutcome>({
  type: 'FenceVds',
  title: TITLE,
  actionGroup: 'MANIPULATE_HOST',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params,
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const host = found(
      await tx.host.findUnique({
        where: { id: p.hostId },
        select: { name: true, status: true, _count: { select: { fenceAgents: true } } },
      }),
      'Host',
      p.hostId,
    );
    const running = await tx.vm.count({ where: { hostId: p.hostId, status: { notIn: ['DOWN', 'SUSPENDED', 'UNKNOWN'] } } });
    return [
      refuseWhen(
        host._count.fenceAgents === 0,
        'HOST_NO_POWER_MANAGEMENT',
        `Host ${host.name} has no fence agent; add one to its power management first.`,
      ),
      refuseWhen(
        (p.action === 'OFF' || p.action === 'REBOOT') && SERVING.includes(host.status) && running > 0,
        'HOST_HAS_RUNNING_VMS',
        `Host ${host.name} is ${host.status} and runs ${running} VM(s); move it to maintenance before powering it off.`,
      ),
    ];
  },
  async prepare({ tx }, p) {
    return tx.host.findUniqueOrThrow({ where: { id: p.hostId }, select: { id: true, name: true, clusterId: true, status: true } });
  },
  async onHost(ctx, p) {
    // REBOOT is off here, and on once the VMs are recorded Down (after the commit): a host that boots
    // and reports before then would find the engine still placing its old VMs on it.
    const op = p.action === 'REBOOT' ? 'off' : (p.action.toLowerCase() as 'status' | 'on' | 'off');
    const out = await ctx.engine.power.operate(p.hostId, op);
    if (!out.ok) throw new ActionFailedError(TITLE, out.message);
    return out;
  },
  async execute(ctx, p, host, out) {
    let released: ReleasedVm[] = [];
    if (out.offConfirmed) {
      released = await releaseHostVms(ctx, host, `Host ${host.name} was powered off through its power management.`, ctx.engine.now());
      const rebooting = p.action === 'REBOOT';
      // A host in maintenance stays there (an administrator put it there); any other waits Down, or in Reboot, for its agent.
      const status: HostStatus = host.status === 'MAINTENANCE' ? 'MAINTENANCE' : rebooting ? 'REBOOT' : 'DOWN';
      const reason = `${rebooting ? 'restarted' : 'powered off'} through ${out.agent}`;
      // Off on purpose: no report is expected (never NonResponsive, never fenced back on), and it is
      // no longer power saving's to power on (power saving marks its own power-offs after this).
      await ctx.tx.host.update({
        where: { id: host.id },
        data: { status, statusReason: reason, poweredOff: !rebooting, powerSavingOff: false },
      });
      ctx.publish('host:changed', { id: host.id, kind: 'updated' });
      if (rebooting) ctx.afterCommit(() => powerOnAgain(ctx.engine, host));
    } else if (p.action === 'ON') {
      await ctx.tx.host.update({ where: { id: host.id }, data: { poweredOff: false } });
      ctx.publish('host:changed', { id: host.id, kind: 'updated' });
    }
    return {
      host: { id: host.id, name: host.name, clusterId: host.clusterId },
      action: p.action,
      power: p.action === 'REBOOT' ? 'ON' : (out.power ?? null),
      agent: out.agent ?? 'none',
      released,
    };
  },
  audit: (r) => ({
    code: `FENCE_HOST_${r.action}` as const,
    vars: { hostName: r.host.name, agent: r.agent, power: r.power ?? 'unknown', vms: r.released.length },
    objects: { hostId: r.host.id, clusterId: r.host.clusterId },
  }),
  api: {
    mutation: 'fenceHost',
    description:
      "Ask or change a host's power through its fence agents (tried in their order). OFF and REBOOT count once the device says the host is off; its VMs are then Down and the highly available ones restart elsewhere. A host powered OFF stays off (poweredOff): the engine neither judges it NonResponsive nor powers it on again, until it is powered ON.",
    payload: { field: 'result', type: 'FenceHostResult' },
  },
});
