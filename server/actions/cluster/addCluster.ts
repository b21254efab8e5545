import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { clusterSettings, memoryPolicyReasons, thresholdReasons } from './clusterSettings.ts';

export const addCluster = defineAction({
  type: 'AddCluster',
  title: 'add Cluster',
  actionGroup: 'CREATE_CLUSTER',
  subject: (p) => ({ type: 'DATA_CENTER', id: p.dataCenterId }),
  params: z.object({ name: objectName, dataCenterId: nodeId('DataCenter', 'dataCenter'), ...clusterSettings }),
  locks: (p) => [lockKey('ClusterName', p.name), lockKey('DataCenter', p.dataCenterId)],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    found(await tx.dataCenter.findUnique({ where: { id: p.dataCenterId } }), 'Data Center', p.dataCenterId);
    return [
      nameFree((await tx.cluster.count({ where: { name: p.name } })) > 0, 'Cluster', p.name),
      thresholdReasons(p.lowUtilizationPercent ?? 20, p.highUtilizationPercent ?? 80),
      ...memoryPolicyReasons(p.ballooningLowFreePercent ?? 20, p.ballooningHighFreePercent ?? 30, p.customProperties),
    ];
  },
  async execute({ tx, publish }, p) {
    const cluster = await tx.cluster.create({ data: p });
    // A new cluster gets the data center's management network, required, as in oVirt.
    const mgmt = await tx.network.findFirst({ where: { dataCenterId: p.dataCenterId, name: 'ovirtmgmt' } });
    if (mgmt)
      await tx.clusterNetwork.create({
        data: { clusterId: cluster.id, networkId: mgmt.id, required: true, display: true, migration: true },
      });
    publish('cluster:changed', { id: cluster.id, kind: 'created' });
    return cluster;
  },
  audit: (c) => ({ code: 'USER_ADD_CLUSTER', vars: { clusterName: c.name }, objects: { clusterId: c.id, dataCenterId: c.dataCenterId } }),
  api: {
    mutation: 'addCluster',
    description: 'Create a cluster in a data center; it gets the management network.',
    payload: { field: 'cluster', type: 'Cluster' },
  },
});
