// ActivateHost takes a host out of maintenance (or out of an evacuation that failed and left it
// PreparingForMaintenance): Unassigned, then Up with the agent's next report.
import { z } from 'zod';
import { lockKey } from '../locks.ts';
import { defineAction } from '../defineAction.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';

export const activateHost = defineAction({
  type: 'ActivateVds',
  title: 'activate Host',
  actionGroup: 'MANIPULATE_HOST',
  params: z.object({ hostId: nodeId('Host', 'id') }),
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const host = found(await tx.host.findUnique({ where: { id: p.hostId } }), 'Host', p.hostId);
    return [
      refuseWhen(
        host.status !== 'MAINTENANCE' && host.status !== 'PREPARING_FOR_MAINTENANCE',
        'HOST_NOT_IN_MAINTENANCE',
        `Host ${host.name} is ${host.status}, not in maintenance.`,
      ),
    ];
  },
  async execute({ tx, publish }, p) {
    // Unassigned: the agent's next report brings it Up (monitoring decides, not the engine).
    const host = await tx.host.update({ where: { id: p.hostId }, data: { status: 'UNASSIGNED', statusReason: '' } });
    publish('host:changed', { id: host.id, kind: 'updated' });
    return host;
  },
  audit: (host) => ({ code: 'USER_ACTIVATE_VDS', vars: { hostName: host.name }, objects: { hostId: host.id, clusterId: host.clusterId } }),
  api: {
    mutation: 'activateHost',
    description: "Take a host out of maintenance; it comes Up with its agent's next report.",
    payload: { field: 'host', type: 'Host' },
  },
});
