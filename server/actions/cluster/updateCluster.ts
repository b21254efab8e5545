import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { clusterSettings, memoryPolicyReasons, thresholdReasons } from './clusterSettings.ts';
import { sendMemoryPolicy } from '../../memory/memoryPolicy.ts';

const MEMORY_KEYS = ['ballooningEnabled', 'ballooningLowFreePercent', 'ballooningHighFreePercent', 'ksmEnabled'] as const;

export const updateCluster = defineAction({
  type: 'UpdateCluster',
  title: 'update Cluster',
  actionGroup: 'EDIT_CLUSTER_CONFIGURATION',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({ clusterId: nodeId('Cluster', 'id'), name: objectName.optional(), ...clusterSettings }),
  locks: (p) => [lockKey('Cluster', p.clusterId)],
  objects: (p) => ({ clusterId: p.clusterId }),
  async validate({ tx }, p) {
    const c = found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId);
    const taken = p.name ? await tx.cluster.count({ where: { name: p.name, id: { not: p.clusterId } } }) : 0;
    return [
      nameFree(taken > 0, 'Cluster', p.name ?? ''),
      thresholdReasons(p.lowUtilizationPercent ?? c.lowUtilizationPercent, p.highUtilizationPercent ?? c.highUtilizationPercent),
      ...memoryPolicyReasons(
        p.ballooningLowFreePercent ?? c.ballooningLowFreePercent,
        p.ballooningHighFreePercent ?? c.ballooningHighFreePercent,
        p.customProperties,
      ),
    ];
  },
  async execute({ tx, publish, afterCommit, engine }, { clusterId, ...data }) {
    const cluster = await tx.cluster.update({ where: { id: clusterId }, data });
    publish('cluster:changed', { id: cluster.id, kind: 'updated' });
    // The hosts' memory managers follow the cluster's policy at once (not waited for: a host may be slow to answer).
    if (MEMORY_KEYS.some((k) => data[k] !== undefined))
      afterCommit(async () => {
        void sendMemoryPolicy(engine, clusterId).catch((err: Error) => console.error('sending the memory policy:', err.message));
      });
    return cluster;
  },
  audit: (c) => ({
    code: 'USER_UPDATE_CLUSTER',
    vars: { clusterName: c.name },
    objects: { clusterId: c.id, dataCenterId: c.dataCenterId },
  }),
  api: {
    mutation: 'updateCluster',
    description: 'Edit a cluster.',
    payload: { field: 'cluster', type: 'Cluster' },
  },
});
