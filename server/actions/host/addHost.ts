import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { address } from './hostAddress.ts';

export const addHost = defineAction({
  type: 'AddVds',
  title: 'add Host',
  actionGroup: 'CREATE_HOST',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({
    name: objectName,
    address: address.describe('Host name or IP address the engine reaches the host at.'),
    clusterId: nodeId('Cluster', 'cluster'),
  }),
  locks: (p) => [lockKey('HostName', p.name), lockKey('HostAddress', p.address), lockKey('Cluster', p.clusterId)],
  objects: (p) => ({ clusterId: p.clusterId }),
  async validate({ tx }, p) {
    found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId);
    return [
      nameFree((await tx.host.count({ where: { name: p.name } })) > 0, 'Host', p.name),
      refuseWhen(
        (await tx.host.count({ where: { address: p.address } })) > 0,
        'HOST_ADDRESS_ALREADY_USED',
        `Another host already has the address ${p.address}.`,
      ),
    ];
  },
  async execute({ tx, publish }, p) {
    // The host waits for its agent to register; monitoring brings it Up.
    const host = await tx.host.create({
      data: { ...p, status: 'INSTALLING', statusReason: 'Waiting for the host agent to register.' },
      include: { cluster: true },
    });
    publish('host:changed', { id: host.id, kind: 'created' });
    return host;
  },
  audit: (h) => ({
    code: 'USER_ADD_VDS',
    vars: { hostName: h.name },
    objects: { hostId: h.id, clusterId: h.clusterId, dataCenterId: h.cluster.dataCenterId },
  }),
  api: {
    mutation: 'addHost',
    description: 'Add a host to a cluster; it comes Up when its agent registers.',
    payload: { field: 'host', type: 'Host' },
  },
});
