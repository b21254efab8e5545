// FenceHost (oVirt's power management actions: status, start, stop, restart): one operation
// through the host's fence agents, in their order. Once the device says the host is off, the VMs
// the engine placed there are Down (highly available ones queued for a restart elsewhere).
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { ActionFailedError } from '../../errors.ts';
import type { PowerOutcome } from '../../fencing/powerManagement.ts';
import type { HostStatus } from '../../../generated/prisma/enums.ts';
import { releaseHostVms, type ReleasedVm } from './releaseHostVms.ts';

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
    const out = await ctx.engine.power.operate(p.hostId, p.action.toLowerCase() as 'status' | 'on' | 'off' | 'reboot');
    if (!out.ok && !out.offConfirmed) throw new ActionFailedError(TITLE, out.message);
    return out;
  },
  async execute(ctx, p, host, out) {
    let released: ReleasedVm[] = [];
    if (out.offConfirmed) {
      released = await releaseHostVms(ctx, host, `Host ${host.name} was powered off through its power management.`, ctx.engine.now());
      const rebooting = p.action === 'REBOOT' && out.ok;
      const reason = rebooting ? `restarted through ${out.agent}` : out.ok ? `powered off through ${out.agent}` : out.message;
      // A host in maintenance stays there (an administrator put it there); any other waits Down, or in Reboot, for its agent.
      const status: HostStatus = host.status === 'MAINTENANCE' ? 'MAINTENANCE' : rebooting ? 'REBOOT' : 'DOWN';
      await ctx.tx.host.update({ where: { id: host.id }, data: { status, statusReason: reason } });
      ctx.publish('host:changed', { id: host.id, kind: 'updated' });
    }
    return {
      host: { id: host.id, name: host.name, clusterId: host.clusterId },
      action: p.action,
      power: out.power ?? (out.offConfirmed && !out.ok ? 'OFF' : null),
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
      "Ask or change a host's power through its fence agents (tried in their order). OFF and REBOOT count once the device says the host is off; its VMs are then Down and the highly available ones restart elsewhere.",
    payload: { field: 'result', type: 'FenceHostResult' },
  },
});
