import { builder } from '../builder.ts';
import { TagRef } from './tag.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { HostStatus, NonOperationalReason } from './enums.ts';
import { HostStatsPointRef } from './hostStatsPoint.ts';
import { HostStatisticsRef } from './hostStatistics.ts';
import { historyArgs, historyDescription, windowOf } from './statsHistoryArgs.ts';
import { hostStatsHistory } from '../../server/history/statsHistory.ts';
import { HostHookRef, hostHooks } from './hostHook.ts';
import { HostHardwareRef, hostHardware } from './hostHardware.ts';

export const HostRef = builder.prismaNode('Host', {
  authScopes: (row) => ({ visible: (v) => canSee.host(v, row) }),
  id: { field: 'id' },
  nullable: true,
  description: 'A hypervisor host, managed through its host agent.',
  fields: (t) => ({
    name: t.exposeString('name'),
    tags: t.field({
      type: [TagRef],
      description: 'Its tags, by name.',
      select: { tags: { select: { tag: true }, orderBy: { tag: { name: 'asc' } } } },
      resolve: (row) => row.tags.map((t) => t.tag),
    }),
    address: t.exposeString('address'),
    cluster: t.relation('cluster'),
    status: t.expose('status', { type: HostStatus }),
    statusReason: t.exposeString('statusReason'),
    nonOperationalReason: t.expose('nonOperationalReason', {
      type: NonOperationalReason,
      nullable: true,
      description: 'Why monitoring made the host NonOperational.',
    }),
    powerSavingOff: t.exposeBoolean('powerSavingOff', {
      description: 'Powered off by power saving: placement powers it on again when no Up host of its cluster has room.',
    }),
    poweredOff: t.exposeBoolean('poweredOff', {
      description:
        'Powered off through its power management (fenceHost OFF) and not on since: the engine expects no report from it and does not power it on again, unless power saving powered it off (powerSavingOff).',
    }),
    emptySince: t.expose('emptySince', {
      type: 'DateTime',
      nullable: true,
      description: 'Power saving: since when the balancer has seen the Up host run no VM.',
    }),
    spm: t.exposeBoolean('spm', { description: 'Storage Pool Manager of its data center.' }),
    cpuModel: t.exposeString('cpuModel'),
    cpuSockets: t.exposeInt('cpuSockets'),
    cpuCores: t.exposeInt('cpuCores', { description: 'Cores per socket.' }),
    cpuThreads: t.exposeInt('cpuThreads', { description: 'Threads per core.' }),
    memoryMb: t.exposeInt('memoryMb'),
    osVersion: t.exposeString('osVersion'),
    agentVersion: t.exposeString('agentVersion'),
    lastSeenAt: t.field({
      type: 'DateTime',
      nullable: true,
      // A report that changes nothing writes its time with the next batch: the engine's memory first.
      resolve: (host, _a, ctx) => {
        const heard = ctx.engine.monitoring.heardFrom(host.id);
        return heard && (!host.lastSeenAt || heard > host.lastSeenAt) ? heard : host.lastSeenAt;
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    nics: t.relation('nics', { query: { orderBy: { name: 'asc' } }, description: 'Its NICs and bonds, as the host reports them.' }),
    networkAttachments: t.relation('networkAttachments', {
      query: { orderBy: { network: { name: 'asc' } } },
      description: 'The logical networks the host carries, as it reports them (setupNetworks changes them).',
    }),
    vms: t.relatedConnection('vms', {
      cursor: 'id',
      totalCount: true,
      description: 'VMs running on the host.',
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    fenceAgents: t.relation('fenceAgents', {
      query: { orderBy: [{ order: 'asc' }, { createdAt: 'asc' }] },
      description: 'Its power management: the fence agents, in the order they are tried.',
    }),
    statistics: t.field({
      type: HostStatisticsRef,
      nullable: true,
      description: 'Latest sample reported by the agent.',
      select: { statistics: true },
      // The engine's memory first: the database's row is written in batches, seconds behind.
      resolve: (host, _a, ctx) => ctx.engine.monitoring.live.host(host.id) ?? host.statistics,
    }),
    hardware: t.field({
      type: HostHardwareRef,
      nullable: true,
      select: { capabilities: true },
      description: 'Vendor, product, serial, kernel, libvirt and QEMU versions and NUMA nodes, as the agent last reported them.',
      resolve: (h) => hostHardware(h.capabilities),
    }),
    hooks: t.field({
      type: [HostHookRef],
      select: { capabilities: true },
      description: "The VDSM hooks installed in its agent's hooks folder, by event and name, as the agent last reported them.",
      resolve: (h) => hostHooks(h.capabilities),
    }),
    statsHistory: t.field({
      type: [HostStatsPointRef],
      description: `Its stored samples in a window (the last hour by default). ${historyDescription}`,
      args: historyArgs,
      resolve: (host, args, ctx) => hostStatsHistory(ctx.db, host.id, windowOf(args, ctx)),
    }),
  }),
});
