import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { MANAGEMENT_NETWORK } from '../../network/managementNetwork.ts';

export const removeNetwork = defineAction({
  type: 'RemoveNetwork',
  title: 'remove Network',
  actionGroup: 'DELETE_STORAGE_POOL_NETWORK',
  subject: (p) => ({ type: 'NETWORK', id: p.networkId }),
  params: z.object({ networkId: nodeId('Network', 'id') }),
  locks: (p) => [lockKey('Network', p.networkId)],
  async validate({ tx }, p) {
    const n = found(
      await tx.network.findUnique({
        where: { id: p.networkId },
        include: { _count: { select: { vmNics: true, hostAttachments: true, templateNics: true } } },
      }),
      'Network',
      p.networkId,
    );
    return [
      refuseWhen(n.name === MANAGEMENT_NETWORK, 'NETWORK_IS_MANAGEMENT', 'The management network cannot be removed.'),
      refuseWhen(n._count.vmNics > 0, 'NETWORK_IN_USE_BY_VMS', `Network ${n.name} is used by ${n._count.vmNics} VM NIC(s).`),
      refuseWhen(
        n._count.templateNics > 0,
        'NETWORK_IN_USE_BY_TEMPLATES',
        `Network ${n.name} is used by ${n._count.templateNics} template NIC(s).`,
      ),
      refuseWhen(
        n._count.hostAttachments > 0,
        'NETWORK_IN_USE_BY_HOSTS',
        `Network ${n.name} is attached to ${n._count.hostAttachments} host(s).`,
      ),
    ];
  },
  async execute({ tx, publish }, p) {
    const network = await tx.network.delete({ where: { id: p.networkId }, include: { dataCenter: true } });
    publish('network:changed', { id: network.id, kind: 'removed' });
    return network;
  },
  audit: (n) => ({
    code: 'NETWORK_REMOVE_NETWORK',
    vars: { networkName: n.name, dataCenterName: n.dataCenter.name },
    objects: { dataCenterId: n.dataCenterId },
  }),
  api: {
    mutation: 'removeNetwork',
    description: 'Remove a logical network no VM NIC or host uses.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'Network', id: r.id }),
  },
});
