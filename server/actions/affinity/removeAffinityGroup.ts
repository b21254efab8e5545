import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';
import { groupSubject } from './affinityGroupSettings.ts';

export const removeAffinityGroup = defineAction({
  type: 'RemoveAffinityGroup',
  title: 'remove Affinity Group',
  actionGroup: 'EDIT_CLUSTER_CONFIGURATION',
  params: z.object({ groupId: nodeId('AffinityGroup', 'id') }),
  subject: (p, db) => groupSubject(p, db),
  locks: (p) => [lockKey('AffinityGroup', p.groupId)],
  async validate({ tx }, p) {
    found(await tx.affinityGroup.findUnique({ where: { id: p.groupId } }), 'AffinityGroup', p.groupId);
    return [];
  },
  async execute({ tx, publish }, p) {
    const g = await tx.affinityGroup.delete({ where: { id: p.groupId }, include: { cluster: { select: { name: true } } } });
    publish('cluster:changed', { id: g.clusterId, kind: 'updated' });
    return g;
  },
  audit: (g) => ({
    code: 'USER_REMOVED_AFFINITY_GROUP',
    vars: { affinityGroupName: g.name, clusterName: g.cluster.name },
    objects: { clusterId: g.clusterId },
  }),
  api: {
    mutation: 'removeAffinityGroup',
    description: 'Remove an affinity group; its rules no longer bind its VMs.',
    payload: { field: 'removed', type: 'Removed' },
    result: (g) => ({ typename: 'AffinityGroup', id: g.id }),
  },
});
