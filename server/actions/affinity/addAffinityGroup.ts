import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { affinityGroupSettings, groupReasons, setMembers } from './affinityGroupSettings.ts';

export const addAffinityGroup = defineAction({
  type: 'AddAffinityGroup',
  title: 'add Affinity Group',
  actionGroup: 'EDIT_CLUSTER_CONFIGURATION',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({ clusterId: nodeId('Cluster', 'cluster'), name: objectName, ...affinityGroupSettings }),
  locks: (p) => [lockKey('AffinityGroupName', `${p.clusterId}/${p.name}`)],
  objects: (p) => ({ clusterId: p.clusterId }),
  async validate({ tx }, p) {
    const cluster = found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId);
    const taken = await tx.affinityGroup.count({ where: { clusterId: p.clusterId, name: p.name } });
    return [
      nameFree(taken > 0, 'Affinity Group', p.name, `cluster ${cluster.name}`),
      ...(await groupReasons(tx, {
        name: p.name,
        clusterId: p.clusterId,
        vmPolarity: p.vmPolarity ?? 'DISABLED',
        vmEnforcing: p.vmEnforcing ?? false,
        hostPolarity: p.hostPolarity ?? 'DISABLED',
        hostEnforcing: p.hostEnforcing ?? false,
        vmIds: p.vmIds ?? [],
        hostIds: p.hostIds ?? [],
      })),
    ];
  },
  async execute({ tx, publish }, { vmIds, hostIds, ...data }) {
    const group = await tx.affinityGroup.create({ data, include: { cluster: { select: { name: true } } } });
    await setMembers(tx, group.id, vmIds ?? [], hostIds ?? []);
    publish('cluster:changed', { id: group.clusterId, kind: 'updated' });
    return group;
  },
  audit: (g) => ({
    code: 'USER_ADDED_AFFINITY_GROUP',
    vars: { affinityGroupName: g.name, clusterName: g.cluster.name },
    objects: { clusterId: g.clusterId },
  }),
  api: {
    mutation: 'addAffinityGroup',
    description:
      'Add an affinity group to a cluster: its VMs together or apart, on or not on its hosts, each rule hard (placement refuses) or soft (placement prefers).',
    payload: { field: 'affinityGroup', type: 'AffinityGroup' },
  },
});
