import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';

export const removeCluster = defineAction({
  type: 'RemoveCluster',
  title: 'remove Cluster',
  actionGroup: 'DELETE_CLUSTER',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({ clusterId: nodeId('Cluster', 'id') }),
  locks: (p) => [lockKey('Cluster', p.clusterId)],
  objects: (p) => ({ clusterId: p.clusterId }),
  async validate({ tx }, p) {
    const c = found(
      await tx.cluster.findUnique({
        where: { id: p.clusterId },
        include: { _count: { select: { hosts: true, vms: true, templates: true } } },
      }),
      'Cluster',
      p.clusterId,
    );
    return [
      refuseWhen(c._count.hosts > 0, 'CLUSTER_HAS_HOSTS', `Cluster ${c.name} still has ${c._count.hosts} host(s); remove them first.`),
      refuseWhen(c._count.vms > 0, 'CLUSTER_HAS_VMS', `Cluster ${c.name} still has ${c._count.vms} VM(s); remove them first.`),
      refuseWhen(c._count.templates > 0, 'CLUSTER_HAS_TEMPLATES', `Cluster ${c.name} still has ${c._count.templates} template(s).`),
    ];
  },
  async execute({ tx, publish }, p) {
    const c = await tx.cluster.delete({ where: { id: p.clusterId } });
    publish('cluster:changed', { id: c.id, kind: 'removed' });
    return c;
  },
  audit: (c) => ({ code: 'USER_REMOVE_CLUSTER', vars: { clusterName: c.name }, objects: { dataCenterId: c.dataCenterId } }),
  api: {
    mutation: 'removeCluster',
    description: 'Remove a cluster that has no hosts, VMs or templates.',
    payload: { field: 'removed', type: 'Removed' },
    result: (c) => ({ typename: 'Cluster', id: c.id }),
  },
});
