// Live subscriptions (graphql-ws, or SSE over plain HTTP): each sends the current state first,
// then every change. Stats come from agent reports; entity changes and events from actions
// and monitoring, through server/pubsub.ts.
import { filter, pipe, Repeater } from 'graphql-yoga';
import { RequestCache } from '@pothos/plugin-scope-auth';
import { builder } from '../schema/builder.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { AuditSeverity, ObjectType } from '../schema/types/enums.ts';
import { HostRef } from '../schema/types/host.ts';
import { VmRef } from '../schema/types/vm.ts';
import { EventRef } from '../schema/types/event.ts';
import { JobRef } from '../schema/types/job.ts';
import { HostStatsSampleRef } from '../schema/types/hostStatsSample.ts';
import { VmStatsSampleRef } from '../schema/types/vmStatsSample.ts';
import type { HostStatsEvent, VmStatsEvent } from '../server/pubsub.ts';
import type { AuditLog, Host, Job, Vm } from '../generated/prisma/client.ts';
import type { AuditSeverity as Severity, ObjectType as ObjType } from '../generated/prisma/enums.ts';
import { InputError, NotFoundError } from '../server/errors.ts';
import type { Context } from '../schema/context.ts';
import { canSee, visible } from '../server/auth/permissions.ts';
import { firstThenDeltas } from './firstThenDeltas.ts';
import { hostStatsEvent, vmStatsEvent } from '../server/monitoring/liveStats.ts';

/**
 * Each event's object is authorized afresh. Pothos keeps scope results per context, and a
 * subscription's context lives as long as the subscription: without this every event sent
 * stayed cached (keyed by its row) until the subscriber left, growing the engine's memory.
 */
function fresh<T>(event: T, ctx: object): T {
  RequestCache.clearForContext(ctx);
  return event;
}

/** Exactly one of the scope arguments, as database ids. */
function scope<K extends string>(args: Record<K, string | null | undefined>, types: Record<K, string>) {
  const given = (Object.keys(types) as K[]).filter((k) => args[k] != null);
  if (given.length !== 1) throw new InputError([{ path: Object.keys(types).join('|'), message: 'give exactly one of these arguments' }]);
  const key = given[0]!;
  return { key, id: optionalLocalId(args[key], types[key], key)! };
}

/**
 * The cluster whose stats topic carries the scope's samples. A host or VM that does not exist,
 * or that the user may not see, is refused alike.
 */
async function statsCluster(ctx: Context, s: { key: 'clusterId' | 'hostId' | 'vmId'; id: string }): Promise<string> {
  if (s.key === 'clusterId') return s.id;
  const row =
    s.key === 'hostId'
      ? await ctx.db.host.findUnique({ where: { id: s.id }, select: { id: true, clusterId: true } })
      : await ctx.db.vm.findUnique({ where: { id: s.id }, select: { id: true, clusterId: true } });
  const v = await ctx.visibility();
  if (!row || !(s.key === 'hostId' ? canSee.host(v, row) : canSee.vm(v, row)))
    throw new NotFoundError(s.key === 'hostId' ? 'Host' : 'Vm', s.id);
  return row.clusterId;
}

builder.subscriptionFields((t) => ({
  hostStats: t.field({
    type: HostStatsSampleRef,
    description: 'Samples of one host, or of every host of a cluster: the latest stored ones first, then each new one.',
    args: { hostId: t.arg.id({ required: false }), clusterId: t.arg.id({ required: false }) },
    subscribe: async (_r, args, ctx) => {
      const s = scope(
        { hostId: args.hostId as string | null, clusterId: args.clusterId as string | null },
        { hostId: 'Host', clusterId: 'Cluster' },
      );
      const v = await ctx.visibility();
      return firstThenDeltas(
        ctx.engine.pubsub.subscribe('host:stats', await statsCluster(ctx, s)),
        // The engine's memory first: the database's rows are written in batches, seconds behind.
        async () =>
          (
            await ctx.db.host.findMany({
              where: { [s.key === 'hostId' ? 'id' : 'clusterId']: s.id, AND: visible.host(v) },
              select: { id: true, clusterId: true, statistics: true },
            })
          ).flatMap((h) => {
            const st = ctx.engine.monitoring.live.host(h.id) ?? h.statistics;
            return st ? [hostStatsEvent(st, h.clusterId)] : [];
          }),
        // Visibility is asked again per event: a revoked permission stops the stream.
        async (e) => e[s.key] === s.id && canSee.host(await ctx.visibility(), { id: e.hostId, clusterId: e.clusterId }),
      );
    },
    resolve: (e: HostStatsEvent, _a, ctx) => fresh(e, ctx),
  }),
  vmStats: t.field({
    type: VmStatsSampleRef,
    description: 'Samples of one VM, of the VMs on a host, or of the VMs of a cluster: latest stored first, then each new one.',
    args: { vmId: t.arg.id({ required: false }), hostId: t.arg.id({ required: false }), clusterId: t.arg.id({ required: false }) },
    subscribe: async (_r, args, ctx) => {
      const s = scope(
        { vmId: args.vmId as string | null, hostId: args.hostId as string | null, clusterId: args.clusterId as string | null },
        { vmId: 'Vm', hostId: 'Host', clusterId: 'Cluster' },
      );
      const v = await ctx.visibility();
      return firstThenDeltas(
        ctx.engine.pubsub.subscribe('vm:stats', await statsCluster(ctx, s)),
        async () =>
          (
            await ctx.db.vm.findMany({
              where: { [s.key === 'vmId' ? 'id' : s.key]: s.id, hostId: { not: null }, AND: visible.vm(v) },
              select: { id: true, hostId: true, clusterId: true, statistics: true },
            })
          ).flatMap((vm) => {
            const st = ctx.engine.monitoring.live.vm(vm.id) ?? vm.statistics;
            return st ? [vmStatsEvent(st, vm.hostId!, vm.clusterId)] : [];
          }),
        async (e) => e[s.key] === s.id && canSee.vm(await ctx.visibility(), { id: e.vmId, clusterId: e.clusterId }),
      );
    },
    resolve: (e: VmStatsEvent, _a, ctx) => fresh(e, ctx),
  }),
  hostUpdated: t.field({
    type: HostRef,
    description: 'A host (status, statistics…) now, then again each time it changes. Removed hosts are not sent.',
    args: { hostId: t.arg.id({ required: false }), clusterId: t.arg.id({ required: false }) },
    subscribe: async (_r, args, ctx) => {
      const s = scope(
        { hostId: args.hostId as string | null, clusterId: args.clusterId as string | null },
        { hostId: 'Host', clusterId: 'Cluster' },
      );
      const where = async () => ({
        ...(s.key === 'hostId' ? { id: s.id } : { clusterId: s.id }),
        AND: visible.host(await ctx.visibility()),
      });
      return firstThenDeltas(
        pipe(
          ctx.engine.pubsub.subscribe('host:changed'),
          // One host's page hears every host's changes: only its own cost a query.
          reload(async (id) =>
            s.key === 'hostId' && id !== s.id ? null : ctx.db.host.findFirst({ where: { AND: [await where(), { id }] } }),
          ),
        ),
        async () => ctx.db.host.findMany({ where: await where(), orderBy: { name: 'asc' } }),
      );
    },
    resolve: (h: Host, _a, ctx) => fresh(h, ctx),
  }),
  vmUpdated: t.field({
    type: VmRef,
    description: 'A VM now, then again each time it changes (status, host…). Removed VMs are not sent.',
    args: { vmId: t.arg.id({ required: false }), hostId: t.arg.id({ required: false }), clusterId: t.arg.id({ required: false }) },
    subscribe: async (_r, args, ctx) => {
      const s = scope(
        { vmId: args.vmId as string | null, hostId: args.hostId as string | null, clusterId: args.clusterId as string | null },
        { vmId: 'Vm', hostId: 'Host', clusterId: 'Cluster' },
      );
      const where = async () => ({ [s.key === 'vmId' ? 'id' : s.key]: s.id, AND: visible.vm(await ctx.visibility()) });
      return firstThenDeltas(
        pipe(
          ctx.engine.pubsub.subscribe('vm:changed'),
          // A VM card hears every VM's changes (5,000 at once when a host brings its VMs): only its own cost a query.
          reload(async (id) => (s.key === 'vmId' && id !== s.id ? null : ctx.db.vm.findFirst({ where: { AND: [await where(), { id }] } }))),
        ),
        async () => ctx.db.vm.findMany({ where: await where(), orderBy: { name: 'asc' } }),
      );
    },
    resolve: (v: Vm, _a, ctx) => fresh(v, ctx),
  }),
  events: t.field({
    type: EventRef,
    description: 'New entries of the event log, optionally only some severities and only those about one object.',
    args: {
      severity: t.arg({ type: [AuditSeverity], required: false }),
      objectType: t.arg({ type: ObjectType, required: false }),
      objectId: t.arg.id({ required: false, description: 'Global id of the object (with objectType).' }),
    },
    subscribe: async (_r, args, ctx) => {
      const column = args.objectType ? OBJECT_COLUMNS[args.objectType] : undefined;
      if ((args.objectType == null) !== (args.objectId == null) || (args.objectType && !column))
        throw new InputError([
          { path: 'objectType', message: 'give objectType and objectId together (DATA_CENTER, CLUSTER, HOST, VM or STORAGE_DOMAIN)' },
        ]);
      const objectId = column ? optionalLocalId(String(args.objectId), column[1], 'objectId') : undefined;
      const severities = args.severity as Severity[] | null | undefined;
      return pipe(
        ctx.engine.pubsub.subscribe('audit:created'),
        reload(async (id) =>
          ctx.db.auditLog.findFirst({
            where: {
              id,
              AND: visible.event(await ctx.visibility()),
              severity: severities ? { in: severities } : undefined,
              ...(column ? { [column[0]]: objectId } : {}),
            },
          }),
        ),
      );
    },
    resolve: (e: AuditLog, _a, ctx) => fresh(e, ctx),
  }),
  jobProgress: t.field({
    type: JobRef,
    description: 'A long-running job now, then again each time its progress or status changes.',
    args: { jobId: t.arg.id({ required: true }) },
    subscribe: async (_r, args, ctx) => {
      const id = optionalLocalId(String(args.jobId), 'Job', 'jobId')!;
      // Only to whom the jobs list shows it, asked again per change (an ended session stops it).
      const load = async () => ctx.db.job.findFirst({ where: { id, AND: visible.job(await ctx.visibility(), ctx.actor) } });
      if (!(await load())) throw new NotFoundError('Job', id);
      return firstThenDeltas(
        pipe(
          ctx.engine.pubsub.subscribe('job:progress'),
          filter((e: { id: string }) => e.id === id),
          reload(load),
        ),
        async () => {
          const job = await load();
          return job ? [job] : [];
        },
      );
    },
    resolve: (j: Job, _a, ctx) => fresh(j, ctx),
  }),
}));

const OBJECT_COLUMNS: Partial<Record<ObjType, [column: string, typename: string]>> = {
  DATA_CENTER: ['dataCenterId', 'DataCenter'],
  CLUSTER: ['clusterId', 'Cluster'],
  HOST: ['hostId', 'Host'],
  VM: ['vmId', 'Vm'],
  STORAGE_DOMAIN: ['storageDomainId', 'StorageDomain'],
};

/** Maps a stream of ids to the rows that still exist and match, dropping the others. */
export function reload<T>(load: (id: string) => Promise<T | null>) {
  return (source: AsyncIterable<{ id: string }>) =>
    new Repeater<T>(async (push, stop) => {
      const it = source[Symbol.asyncIterator]();
      void stop.then(() => it.return?.()); // settles a waiting next() as done (see firstThenDeltas)
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        const row = await load(r.value.id);
        if (row) await push(row);
      }
      await it.return?.();
      stop();
    });
}
