import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import type { HostStatus } from '../../../generated/prisma/enums.ts';

/** Statuses in which a host may be removed (oVirt: it must not be serving VMs or storage). */
const REMOVABLE: HostStatus[] = ['MAINTENANCE', 'DOWN', 'INSTALL_FAILED', 'NON_RESPONSIVE', 'INSTALLING', 'UNASSIGNED'];

export const removeHost = defineAction({
  type: 'RemoveVds',
  title: 'remove Host',
  actionGroup: 'DELETE_HOST',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params: z.object({ hostId: nodeId('Host', 'id') }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const host = found(
      await tx.host.findUnique({ where: { id: p.hostId }, include: { _count: { select: { vms: true } } } }),
      'Host',
      p.hostId,
    );
    return [
      refuseWhen(host._count.vms > 0, 'HOST_HAS_RUNNING_VMS', `Host ${host.name} is running ${host._count.vms} VM(s).`),
      refuseWhen(
        !REMOVABLE.includes(host.status),
        'HOST_NOT_IN_MAINTENANCE',
        `Host ${host.name} is ${host.status}; move it to maintenance first.`,
      ),
    ];
  },
  async execute({ tx, publish }, p) {
    const host = await tx.host.delete({ where: { id: p.hostId }, include: { cluster: true } });
    publish('host:changed', { id: host.id, kind: 'removed' });
    return host;
  },
  audit: (h) => ({
    code: 'USER_REMOVE_VDS',
    vars: { hostName: h.name },
    objects: { clusterId: h.clusterId, dataCenterId: h.cluster.dataCenterId },
  }),
  api: {
    mutation: 'removeHost',
    description: 'Remove a host that runs no VMs and is in maintenance (or not serving).',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'Host', id: r.id }),
  },
});
