import { builder } from '../builder.ts';
import { TagRef } from './tag.ts';
import { IsoImageRef } from './isoImage.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { BootDevice, DisplayType, VmStatus } from './enums.ts';
import { VmInitializationRef } from './vmInitialization.ts';
import type { Initialization } from '../../server/actions/vm/cloudInit.ts';
import { historyArgs, historyDescription, windowOf } from './statsHistoryArgs.ts';
import { VmStatsPointRef } from './vmStatsPoint.ts';
import { VmStatisticsRef } from './vmStatistics.ts';
import { vmStatsHistory } from '../../server/history/statsHistory.ts';
import { CustomPropertyRef, propertyList } from './customProperty.ts';

export const VmRef = builder.prismaNode('Vm', {
  authScopes: (row) => ({ visible: (v) => canSee.vm(v, row) }),
  id: { field: 'id' },
  nullable: true,
  description: 'A virtual machine.',
  fields: (t) => ({
    name: t.exposeString('name'),
    tags: t.field({
      type: [TagRef],
      description: 'Its tags, by name.',
      select: { tags: { select: { tag: true }, orderBy: { tag: { name: 'asc' } } } },
      resolve: (row) => row.tags.map((t) => t.tag),
    }),
    description: t.exposeString('description'),
    cluster: t.relation('cluster'),
    host: t.relation('host', { nullable: true, description: 'The host it runs on; null when Down.' }),
    template: t.relation('template', { nullable: true }),
    status: t.expose('status', { type: VmStatus }),
    osType: t.exposeString('osType'),
    cpuSockets: t.exposeInt('cpuSockets'),
    cpuCores: t.exposeInt('cpuCores', { description: 'Cores per socket.' }),
    cpuThreads: t.exposeInt('cpuThreads', { description: 'Threads per core.' }),
    vcpus: t.int({
      select: { cpuSockets: true, cpuCores: true, cpuThreads: true },
      resolve: (v) => v.cpuSockets * v.cpuCores * v.cpuThreads,
    }),
    memoryMb: t.exposeInt('memoryMb'),
    guaranteedMemoryMb: t.exposeInt('guaranteedMemoryMb'),
    highlyAvailable: t.exposeBoolean('highlyAvailable'),
    haPriority: t.exposeInt('haPriority'),
    leaseStorageDomain: t.relation('leaseStorageDomain', {
      nullable: true,
      description: 'Where its VM lease lives (null: none): a lost host’s VM with a lease restarts elsewhere once the lease has expired.',
    }),
    initialization: t.field({
      type: VmInitializationRef,
      nullable: true,
      select: { initialization: true, initializationPasswordSealed: true },
      resolve: (v) =>
        v.initialization ? { ...(v.initialization as Initialization), passwordSet: !!v.initializationPasswordSealed } : null,
    }),
    cdrom: t.relation('cdromImage', { nullable: true, description: 'The ISO image in its CD-ROM drive (null: empty).' }),
    isoImages: t.field({
      type: [IsoImageRef],
      description: 'The ISO images its CD-ROM drive may take (changeVmCd): those on the active ISO domains of its data center.',
      select: { cluster: { select: { dataCenterId: true } } },
      resolve: (vm, _a, ctx) =>
        ctx.db.isoImage.findMany({
          where: { storageDomain: { dataCenterId: vm.cluster.dataCenterId, domainType: 'ISO', status: 'ACTIVE' } },
          orderBy: { name: 'asc' },
        }),
    }),
    bootDevices: t.expose('bootDevices', { type: [BootDevice], description: 'What it boots from, in order.' }),
    stateless: t.exposeBoolean('stateless'),
    resumesFromMemory: t.boolean({
      select: { memoryToRestoreId: true },
      description: 'Its next run resumes the guest from a memory snapshot previewed with restoreMemory, instead of booting it.',
      resolve: (vm) => vm.memoryToRestoreId !== null,
    }),
    ballooningEnabled: t.exposeBoolean('ballooningEnabled', {
      description: "Its host's memory manager may inflate its balloon, down to its guaranteed memory.",
    }),
    customProperties: t.field({
      type: [CustomPropertyRef],
      select: { customProperties: true },
      description: "Its custom properties, by name (its hosts' hooks get them as environment variables from its next start).",
      resolve: (v) => propertyList(v.customProperties),
    }),
    displayType: t.expose('displayType', {
      type: DisplayType,
      description: 'The console offered from the next start (the running one is in console).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    nics: t.relation('nics', { query: { orderBy: { name: 'asc' } } }),
    diskAttachments: t.relation('diskAttachments'),
    snapshots: t.relation('snapshots', { query: { orderBy: { createdAt: 'asc' } } }),
    statistics: t.field({
      type: VmStatisticsRef,
      nullable: true,
      description: 'Latest sample, with guest-agent data.',
      select: { statistics: true },
      // The engine's memory first: the database's row is written in batches, seconds behind.
      resolve: (vm, _a, ctx) => ctx.engine.monitoring.live.vm(vm.id) ?? vm.statistics,
    }),
    statsHistory: t.field({
      type: [VmStatsPointRef],
      description: `Its stored samples in a window (the last hour by default), while it ran. ${historyDescription}`,
      args: historyArgs,
      resolve: (vm, args, ctx) => vmStatsHistory(ctx.db, vm.id, windowOf(args, ctx)),
    }),
  }),
});
