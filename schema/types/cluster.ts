import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { SystemStatsPointRef } from './systemStatsPoint.ts';
import { historyArgs, historyDescription, windowOf } from './statsHistoryArgs.ts';
import { systemStatsHistory } from '../../server/history/statsHistory.ts';
import { CustomPropertyRuleRef } from './customProperty.ts';
import { clusterRules } from '../../server/validators/customProperties.ts';

export const ClusterRef = builder.prismaNode('Cluster', {
  authScopes: (row) => ({ visible: (v) => canSee.cluster(v, row) }),
  id: { field: 'id' },
  nullable: true,
  description: 'A cluster: hosts of one CPU type that share storage and networks, where VMs run and migrate.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    dataCenter: t.relation('dataCenter'),
    cpuType: t.exposeString('cpuType'),
    memoryOvercommitPercent: t.exposeInt('memoryOvercommitPercent', {
      description: '100 = none; 150 = VMs may be given 150% of host memory.',
    }),
    schedulingPolicy: t.exposeString('schedulingPolicy'),
    haReservation: t.exposeBoolean('haReservation'),
    fencingEnabled: t.exposeBoolean('fencingEnabled', {
      description: 'Whether NonResponsive hosts are fenced (soft, then through power management).',
    }),
    fencingSkipPercent: t.exposeInt('fencingSkipPercent', {
      description: 'Fencing is skipped while more than this share (%) of the hosts are NonResponsive at once.',
    }),
    powerSavingSpareHosts: t.exposeInt('powerSavingSpareHosts', {
      description: 'Power saving: Up hosts without VMs kept running as spares; the other empty ones are powered off.',
    }),
    powerSavingIdleMinutes: t.exposeInt('powerSavingIdleMinutes', {
      description: 'Power saving: how long (minutes) a host must have run no VM before it is put into maintenance and powered off.',
    }),
    ballooningEnabled: t.exposeBoolean('ballooningEnabled', {
      description: "MOM on its hosts: the balloons of VMs with ballooning enabled are deflated while a host's memory runs short.",
    }),
    ballooningLowFreePercent: t.exposeInt('ballooningLowFreePercent', {
      description: 'MOM: under this share (%) of free memory a host takes memory back from ballooned VMs (toward their guaranteed memory).',
    }),
    ballooningHighFreePercent: t.exposeInt('ballooningHighFreePercent', {
      description: 'MOM: over this share (%) of free memory a host gives ballooned VMs their memory back.',
    }),
    ksmEnabled: t.exposeBoolean('ksmEnabled', {
      description: 'MOM: KSM runs on its hosts while their free memory is under the low threshold.',
    }),
    customProperties: t.field({
      type: [CustomPropertyRuleRef],
      select: { customProperties: true },
      description: "The custom properties its VMs may have (oVirt's UserDefinedVMProperties).",
      resolve: (c) => clusterRules(c.customProperties),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    hosts: t.relatedConnection('hosts', { cursor: 'id', totalCount: true, query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
    vms: t.relatedConnection('vms', { cursor: 'id', totalCount: true, query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
    networks: t.relation('networks', { description: 'Logical networks attached to the cluster.' }),
    affinityGroups: t.relation('affinityGroups', {
      description: "The cluster's affinity groups, by name.",
      query: { orderBy: { name: 'asc' } },
    }),
    highUtilizationPercent: t.exposeInt('highUtilizationPercent', {
      description: 'The balancer: a host whose CPU stays above this share for cpuOverloadMinutes is over-used.',
    }),
    lowUtilizationPercent: t.exposeInt('lowUtilizationPercent', {
      description: 'The balancer under power_saving: a host whose CPU stays below this share for cpuOverloadMinutes is under-used.',
    }),
    cpuOverloadMinutes: t.exposeInt('cpuOverloadMinutes', {
      description: "How long a host's CPU must stay past a threshold before the balancer acts.",
    }),
    maxVmCountDifference: t.exposeInt('maxVmCountDifference', {
      description: 'vm_evenly_distributed: the balancer moves a VM when the busiest host runs more than this many VMs over the least busy.',
    }),
    statsHistory: t.field({
      type: [SystemStatsPointRef],
      description: `The stored samples of its hosts in a window (the last hour by default), each host counted once per period. ${historyDescription}`,
      args: historyArgs,
      resolve: async (cluster, args, ctx) => systemStatsHistory(ctx.db, await ctx.visibility(), windowOf(args, ctx), cluster.id),
    }),
  }),
});
