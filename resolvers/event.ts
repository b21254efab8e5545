import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { and, contains } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { AuditSeverity } from '../schema/types/enums.ts';
import { EventRef } from '../schema/types/event.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { AuditSeverity as Severity } from '../generated/prisma/enums.ts';

const SEVERITY_ORDER: Severity[] = ['NORMAL', 'WARNING', 'ERROR', 'ALERT'];

const EventFilter = builder.inputType('EventFilter', {
  fields: (t) => ({
    minSeverity: t.field({ type: AuditSeverity, required: false, description: 'This severity and worse.' }),
    code: t.string({ required: false }),
    messageContains: t.string({ required: false, validate: searchText }),
    vm: t.id({ required: false }),
    host: t.id({ required: false }),
    cluster: t.id({ required: false }),
    dataCenter: t.id({ required: false }),
    since: t.field({ type: 'DateTime', required: false }),
  }),
});

function eventWhere(f: typeof EventFilter.$inferInput | null | undefined): Prisma.AuditLogWhereInput {
  return {
    severity: f?.minSeverity ? { in: SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(f.minSeverity)) } : undefined,
    code: f?.code ?? undefined,
    message: contains(f?.messageContains),
    vmId: optionalLocalId(f?.vm as string, 'Vm', 'filter.vm'),
    hostId: optionalLocalId(f?.host as string, 'Host', 'filter.host'),
    clusterId: optionalLocalId(f?.cluster as string, 'Cluster', 'filter.cluster'),
    dataCenterId: optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter'),
    createdAt: f?.since ? { gte: f.since } : undefined,
  };
}

builder.queryFields((t) => ({
  events: t.prismaConnection({
    type: EventRef,
    cursor: 'id',
    description: 'The event log, newest first.',
    args: { filter: t.arg({ type: EventFilter, required: false }) },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.auditLog.findMany({
        ...query,
        where: and(eventWhere(args.filter), visible.event(await ctx.visibility())),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    totalCount: async (_c, args, ctx) =>
      ctx.db.auditLog.count({ where: and(eventWhere(args.filter), visible.event(await ctx.visibility())) }),
  }),
}));
