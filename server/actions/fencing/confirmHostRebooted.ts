// ConfirmHostRebooted (oVirt's manual fence, "Confirm 'Host has been Rebooted'"): an administrator
// says a NonResponsive host without working power management is down or was rebooted, so nothing
// runs there any more: its VMs are Down and the highly available ones restart elsewhere.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { releaseHostVms } from './releaseHostVms.ts';

export const confirmHostRebooted = defineAction({
  type: 'FenceVdsManualy',
  title: 'confirm Host rebooted',
  actionGroup: 'MANIPULATE_HOST',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params: z.object({ hostId: nodeId('Host', 'host') }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx, engine }, p) {
    const host = found(await tx.host.findUnique({ where: { id: p.hostId }, select: { name: true, status: true } }), 'Host', p.hostId);
    return [
      refuseWhen(
        host.status !== 'NON_RESPONSIVE',
        'HOST_NOT_NON_RESPONSIVE',
        `Host ${host.name} is ${host.status}; only a NonResponsive host can be confirmed rebooted.`,
      ),
      refuseWhen(
        engine.hosts.isConnected(p.hostId),
        'HOST_AGENT_CONNECTED',
        `The agent of host ${host.name} is still connected to the engine: the host was not rebooted.`,
      ),
    ];
  },
  async execute(ctx, p) {
    const host = await ctx.tx.host.findUniqueOrThrow({ where: { id: p.hostId }, select: { id: true, name: true, clusterId: true } });
    const now = ctx.engine.now();
    const released = await releaseHostVms(ctx, host, `Host ${host.name} was confirmed rebooted by ${ctx.actor.userName}.`, now);
    const updated = await ctx.tx.host.update({
      where: { id: host.id },
      data: { statusReason: `confirmed rebooted by ${ctx.actor.userName} at ${now.toISOString()}` },
    });
    ctx.publish('host:changed', { id: host.id, kind: 'updated' });
    return { host: updated, released };
  },
  audit: ({ host, released }) => ({
    code: 'MANUAL_FENCE_STATUS',
    vars: { hostName: host.name, vms: released.length },
    objects: { hostId: host.id, clusterId: host.clusterId },
  }),
  api: {
    mutation: 'confirmHostRebooted',
    description:
      'Confirm that a NonResponsive host was rebooted or is off (when its power management cannot say so): its VMs are set Down and the highly available ones restart on other hosts. Say it only when it is true: a VM still running there would run twice.',
    payload: { field: 'host', type: 'Host' },
    result: (r) => r.host,
  },
});
