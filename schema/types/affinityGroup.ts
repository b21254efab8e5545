import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { AffinityPolarity } from './enums.ts';

export const AffinityGroupRef = builder.prismaNode('AffinityGroup', {
  authScopes: (row) => ({ visible: (v) => canSee.cluster(v, { id: row.clusterId }) }),
  id: { field: 'id' },
  nullable: true,
  description:
    'An affinity group of a cluster: a VM-to-VM rule among its VMs and a VM-to-host rule between its VMs and its hosts, each hard (placement refuses a host that breaks it) or soft (placement prefers hosts that keep it; the balancer repairs it).',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    cluster: t.relation('cluster'),
    vmPolarity: t.expose('vmPolarity', { type: AffinityPolarity, description: 'VMs together (POSITIVE), apart (NEGATIVE), or no rule.' }),
    vmEnforcing: t.exposeBoolean('vmEnforcing', { description: 'The VM-to-VM rule is hard.' }),
    hostPolarity: t.expose('hostPolarity', {
      type: AffinityPolarity,
      description: "VMs on the group's hosts (POSITIVE), not on them (NEGATIVE), or no rule.",
    }),
    hostEnforcing: t.exposeBoolean('hostEnforcing', { description: 'The VM-to-host rule is hard.' }),
    vms: t.prismaField({
      type: ['Vm'],
      description: 'The VMs of the group, by name.',
      resolve: (query, g, _a, ctx) =>
        ctx.db.vm.findMany({ ...query, where: { affinityGroups: { some: { groupId: g.id } } }, orderBy: { name: 'asc' } }),
    }),
    hosts: t.prismaField({
      type: ['Host'],
      description: 'The hosts of the VM-to-host rule, by name.',
      resolve: (query, g, _a, ctx) =>
        ctx.db.host.findMany({ ...query, where: { affinityGroups: { some: { groupId: g.id } } }, orderBy: { name: 'asc' } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
