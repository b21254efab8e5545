import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { address } from './hostAddress.ts';

export const updateHost = defineAction({
  type: 'UpdateVds',
  title: 'update Host',
  actionGroup: 'EDIT_HOST_CONFIGURATION',
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  params: z.object({
    hostId: nodeId('Host', 'id'),
    name: objectName.optional(),
    address: address.optional(),
    clusterId: nodeId('Cluster', 'cluster').optional().describe('Move to another cluster of the same data center (host in maintenance).'),
  }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const host = found(await tx.host.findUnique({ where: { id: p.hostId }, include: { cluster: true } }), 'Host', p.hostId);
    const target =
      p.clusterId && p.clusterId !== host.clusterId
        ? found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId)
        : null;
    const others = { id: { not: p.hostId } };
    return [
      nameFree(!!p.name && (await tx.host.count({ where: { name: p.name, ...others } })) > 0, 'Host', p.name ?? ''),
      refuseWhen(
        !!p.address && (await tx.host.count({ where: { address: p.address, ...others } })) > 0,
        'HOST_ADDRESS_ALREADY_USED',
        `Another host already has the address ${p.address}.`,
      ),
      refuseWhen(
        !!target && host.status !== 'MAINTENANCE',
        'HOST_NOT_IN_MAINTENANCE',
        `Host ${host.name} must be in maintenance to move to another cluster.`,
      ),
      refuseWhen(
        !!target && target.dataCenterId !== host.cluster.dataCenterId,
        'CLUSTER_IN_OTHER_DATA_CENTER',
        'A host can move only to a cluster of the same data center.',
      ),
    ];
  },
  async execute({ tx, publish }, { hostId, ...data }) {
    const host = await tx.host.update({ where: { id: hostId }, data, include: { cluster: true } });
    publish('host:changed', { id: host.id, kind: 'updated' });
    return host;
  },
  audit: (h) => ({
    code: 'USER_UPDATE_VDS',
    vars: { hostName: h.name },
    objects: { hostId: h.id, clusterId: h.clusterId, dataCenterId: h.cluster.dataCenterId },
  }),
  api: {
    mutation: 'updateHost',
    description: 'Edit a host.',
    payload: { field: 'host', type: 'Host' },
  },
});
