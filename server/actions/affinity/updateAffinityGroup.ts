import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { affinityGroupSettings, groupReasons, groupSubject, setMembers } from './affinityGroupSettings.ts';

export const updateAffinityGroup = defineAction({
  type: 'EditAffinityGroup',
  title: 'update Affinity Group',
  actionGroup: 'EDIT_CLUSTER_CONFIGURATION',
  subject: (p, db) => groupSubject(p, db),
  params: z.object({ groupId: nodeId('AffinityGroup', 'id'), name: objectName.optional(), ...affinityGroupSettings }),
  locks: (p) => [lockKey('AffinityGroup', p.groupId)],
  async validate({ tx }, p) {
    const g = found(
      await tx.affinityGroup.findUnique({ where: { id: p.groupId }, include: { vms: true, hosts: true } }),
      'AffinityGroup',
      p.groupId,
    );
    const name = p.name ?? g.name;
    const taken = await tx.affinityGroup.count({ where: { clusterId: g.clusterId, name, id: { not: g.id } } });
    return [
      nameFree(taken > 0, 'Affinity Group', name),
      ...(await groupReasons(tx, {
        id: g.id,
        name,
        clusterId: g.clusterId,
        vmPolarity: p.vmPolarity ?? g.vmPolarity,
        vmEnforcing: p.vmEnforcing ?? g.vmEnforcing,
        hostPolarity: p.hostPolarity ?? g.hostPolarity,
        hostEnforcing: p.hostEnforcing ?? g.hostEnforcing,
        vmIds: p.vmIds ?? g.vms.map((m) => m.vmId),
        hostIds: p.hostIds ?? g.hosts.map((m) => m.hostId),
      })),
    ];
  },
  async execute({ tx, publish }, { groupId, vmIds, hostIds, ...data }) {
    const group = await tx.affinityGroup.update({ where: { id: groupId }, data, include: { cluster: { select: { name: true } } } });
    await setMembers(tx, group.id, vmIds, hostIds);
    publish('cluster:changed', { id: group.clusterId, kind: 'updated' });
    return group;
  },
  audit: (g) => ({
    code: 'USER_UPDATED_AFFINITY_GROUP',
    vars: { affinityGroupName: g.name, clusterName: g.cluster.name },
    objects: { clusterId: g.clusterId },
  }),
  api: {
    mutation: 'updateAffinityGroup',
    description: 'Edit an affinity group: its rules, and its VMs or hosts (a list given replaces the old one).',
    payload: { field: 'affinityGroup', type: 'AffinityGroup' },
  },
});
