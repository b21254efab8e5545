import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { DisplayType, ImageStatus, NicInterface, SnapshotType, VmStatus } from './enums.ts';
import { VmStatsPointRef, historyDescription, minutesArg } from './statsHistory.ts';
import { vmStatsHistory } from '../../server/history/statsHistory.ts';

export const VmRef = builder.prismaNode('Vm', {
  authScopes: (row) => ({ visible: (v) => canSee.vm(v, row) }),
  id: { field: 'id' },
  nullable: true,
  description: 'A virtual machine.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    cluster: t.relation('cluster'),
    host: t.relation('host', { nullable: true, description: 'The host it runs on; null when Down.' }),
    template: t.relation('template', { nullable: true }),
    status: t.expose('status', { type: VmStatus }),
    osType: t.exposeString('osType'),
    cpuSockets: t.exposeInt('cpuSockets'),
    cpuCores: t.exposeInt('cpuCores', { description: 'Cores per socket.' }),
    cpuThreads: t.exposeInt('cpuThreads', { description: 'Threads per core.' }),
    vcpus: t.int({ select: { cpuSockets: true, cpuCores: true, cpuThreads: true }, resolve: (v) => v.cpuSockets * v.cpuCores * v.cpuThreads }),
    memoryMb: t.exposeInt('memoryMb'),
    guaranteedMemoryMb: t.exposeInt('guaranteedMemoryMb'),
    highlyAvailable: t.exposeBoolean('highlyAvailable'),
    haPriority: t.exposeInt('haPriority'),
    stateless: t.exposeBoolean('stateless'),
    displayType: t.expose('displayType', { type: DisplayType, description: 'The console offered from the next start (the running one is in console).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    nics: t.relation('nics', { query: { orderBy: { name: 'asc' } } }),
    diskAttachments: t.relation('diskAttachments'),
    snapshots: t.relation('snapshots', { query: { orderBy: { createdAt: 'asc' } } }),
    statistics: t.relation('statistics', { nullable: true, description: 'Latest sample, with guest-agent data.' }),
    statsHistory: t.field({
      type: [VmStatsPointRef],
      description: `The stored samples of the last minutes (while it ran). ${historyDescription}`,
      args: { minutes: t.arg.int(minutesArg) },
      resolve: (vm, { minutes }, ctx) => vmStatsHistory(ctx.db, vm.id, minutes),
    }),
  }),
});

builder.prismaObject('VmStatistics', {
  fields: (t) => ({
    cpuPercent: t.exposeFloat('cpuPercent'),
    memUsedMb: t.exposeInt('memUsedMb', { description: 'Memory used inside the guest (guest agent).' }),
    netRxBps: t.exposeFloat('netRxBps'),
    netTxBps: t.exposeFloat('netTxBps'),
    diskReadBps: t.exposeFloat('diskReadBps'),
    diskWriteBps: t.exposeFloat('diskWriteBps'),
    uptimeSeconds: t.exposeInt('uptimeSeconds'),
    guestHostname: t.exposeString('guestHostname'),
    guestIps: t.exposeStringList('guestIps'),
    guestApps: t.exposeStringList('guestApps'),
    guestUser: t.exposeString('guestUser'),
    sampledAt: t.expose('sampledAt', { type: 'DateTime' }),
  }),
});

builder.prismaNode('Snapshot', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    vm: t.relation('vm'),
    description: t.exposeString('description'),
    type: t.expose('type', { type: SnapshotType }),
    status: t.expose('status', { type: ImageStatus }),
    withMemory: t.exposeBoolean('withMemory'),
    parent: t.relation('parent', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaNode('Template', {
  id: { field: 'id' },
  nullable: true,
  description: 'A VM template: sealed hardware and disks that new VMs are made from.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    cluster: t.relation('cluster', { nullable: true }),
    status: t.expose('status', { type: ImageStatus }),
    osType: t.exposeString('osType'),
    cpuSockets: t.exposeInt('cpuSockets'),
    cpuCores: t.exposeInt('cpuCores'),
    cpuThreads: t.exposeInt('cpuThreads'),
    memoryMb: t.exposeInt('memoryMb'),
    guaranteedMemoryMb: t.exposeInt('guaranteedMemoryMb'),
    highlyAvailable: t.exposeBoolean('highlyAvailable'),
    stateless: t.exposeBoolean('stateless'),
    displayType: t.expose('displayType', { type: DisplayType }),
    version: t.exposeInt('version'),
    disks: t.relation('disks'),
    nics: t.relation('nics', { query: { orderBy: { name: 'asc' } }, description: 'VMs made from the template get these NICs, each with a MAC of its own.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObject('TemplateNic', {
  fields: (t) => ({
    name: t.exposeString('name'),
    network: t.relation('network', { nullable: true }),
    interface: t.expose('interface', { type: NicInterface }),
  }),
});
