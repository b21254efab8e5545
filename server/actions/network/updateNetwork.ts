import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { MANAGEMENT_NETWORK } from '../../network/managementNetwork.ts';
import { networkSettings } from './networkSettings.ts';

export const updateNetwork = defineAction({
  type: 'UpdateNetwork',
  title: 'update Network',
  actionGroup: 'CONFIGURE_STORAGE_POOL_NETWORK',
  subject: (p) => ({ type: 'NETWORK', id: p.networkId }),
  params: z.object({ networkId: nodeId('Network', 'id'), name: objectName.max(15).optional(), ...networkSettings }),
  locks: (p) => [lockKey('Network', p.networkId)],
  async validate({ tx }, p) {
    const n = found(await tx.network.findUnique({ where: { id: p.networkId } }), 'Network', p.networkId);
    const others = { dataCenterId: n.dataCenterId, id: { not: n.id } };
    return [
      refuseWhen(
        n.name === MANAGEMENT_NETWORK && !!p.name && p.name !== n.name,
        'NETWORK_IS_MANAGEMENT',
        'The management network cannot be renamed.',
      ),
      nameFree(!!p.name && (await tx.network.count({ where: { ...others, name: p.name } })) > 0, 'Network', p.name ?? ''),
      refuseWhen(
        p.vlanId != null && (await tx.network.count({ where: { ...others, vlanId: p.vlanId } })) > 0,
        'NETWORK_VLAN_IN_USE',
        `VLAN ${p.vlanId} is already used by another network of the data center.`,
      ),
    ];
  },
  async execute({ tx, publish }, { networkId, ...data }) {
    const network = await tx.network.update({ where: { id: networkId }, data, include: { dataCenter: true } });
    publish('network:changed', { id: network.id, kind: 'updated' });
    return network;
  },
  audit: (n) => ({ code: 'NETWORK_UPDATE_NETWORK', vars: { networkName: n.name }, objects: { dataCenterId: n.dataCenterId } }),
  api: {
    mutation: 'updateNetwork',
    description: 'Edit a logical network.',
    payload: { field: 'network', type: 'Network' },
  },
});
