// What the balancer would do in a cluster now, and why (the query balancePlan).
import { builder } from '../builder.ts';
import type { BalanceMove, BalancePlan, PlannedPowerOff } from '../../server/balancer/types.ts';

const MoveKindRef = builder.enumType('BalanceMoveKind', {
  description: 'Why the balancer moves a VM.',
  values: {
    AFFINITY: { description: 'Its host breaks a rule of its affinity groups; the destination keeps it.' },
    CPU_OVERLOAD: { description: "Its host's CPU stayed above the cluster's high threshold (evenly_distributed, power_saving)." },
    VM_COUNT: {
      description: "Its host runs more VMs than the cluster's maxVmCountDifference over the least busy (vm_evenly_distributed).",
    },
    POWER_SAVING: { description: 'Its host is under-used and is being emptied (power_saving).' },
  } as const,
});

const HostLoadRef = builder.enumType('HostLoad', {
  description: "A host's CPU over the cluster's window, as the balancer judges it.",
  values: {
    OVER_USED: { description: 'Above the high threshold for the whole window.' },
    UNDER_USED: { description: 'Below the low threshold on average over the window.' },
    NORMAL: { description: 'Between them.' },
    UNKNOWN: { description: 'Its samples do not cover the window (not Up, or not reporting long enough).' },
  } as const,
});

const BalanceMoveRef = builder.objectRef<BalanceMove>('BalanceMove').implement({
  description: 'One migration the balancer would start.',
  fields: (t) => ({
    vm: t.prismaField({ type: 'Vm', nullable: true, resolve: (q, m, _a, ctx) => ctx.db.vm.findUnique({ ...q, where: { id: m.vmId } }) }),
    vmName: t.exposeString('vmName'),
    source: t.prismaField({
      type: 'Host',
      nullable: true,
      resolve: (q, m, _a, ctx) => ctx.db.host.findUnique({ ...q, where: { id: m.sourceId } }),
    }),
    sourceName: t.exposeString('sourceName'),
    destination: t.prismaField({
      type: 'Host',
      nullable: true,
      resolve: (q, m, _a, ctx) => ctx.db.host.findUnique({ ...q, where: { id: m.destinationId } }),
    }),
    destinationName: t.exposeString('destinationName'),
    kind: t.field({ type: MoveKindRef, resolve: (m) => m.kind }),
    reason: t.exposeString('reason', { description: 'Why, as the event of the move says it.' }),
  }),
});

const BalanceHostRef = builder.objectRef<BalancePlan['hosts'][number]>('BalanceHost').implement({
  description: 'A host as the balancer sees it.',
  fields: (t) => ({
    host: t.prismaField({
      type: 'Host',
      nullable: true,
      resolve: (q, h, _a, ctx) => ctx.db.host.findUnique({ ...q, where: { id: h.id } }),
    }),
    name: t.exposeString('name'),
    cpuPercent: t.exposeFloat('cpuPercent', { nullable: true, description: "Mean CPU use over the cluster's window; null when unknown." }),
    vmCount: t.exposeInt('vmCount'),
    load: t.field({ type: HostLoadRef, resolve: (h) => h.load }),
  }),
});

const PowerOffRef = builder.objectRef<PlannedPowerOff>('PlannedPowerOff').implement({
  description: 'An empty host power saving puts into maintenance and powers off (policy power_saving).',
  fields: (t) => ({
    host: t.prismaField({
      type: 'Host',
      nullable: true,
      resolve: (q, o, _a, ctx) => ctx.db.host.findUnique({ ...q, where: { id: o.hostId } }),
    }),
    hostName: t.exposeString('hostName'),
    reason: t.exposeString('reason', { description: 'Why, as the event of the power-off says it.' }),
  }),
});

export const BalancePlanRef = builder.objectRef<BalancePlan>('BalancePlan').implement({
  description: "What the cluster's balancer would do now and why; asking changes nothing.",
  fields: (t) => ({
    policy: t.exposeString('policy', { description: "The cluster's scheduling policy." }),
    moves: t.field({ type: [BalanceMoveRef], resolve: (p) => p.moves }),
    powerOffs: t.field({
      type: [PowerOffRef],
      description: 'Empty hosts the next cycle powers off (power_saving); placement powers them on again when it needs room.',
      resolve: (p) => p.powerOffs,
    }),
    hosts: t.field({ type: [BalanceHostRef], resolve: (p) => p.hosts }),
    notes: t.exposeStringList('notes', { description: 'What the balancer saw and why it does nothing more.' }),
  }),
});
