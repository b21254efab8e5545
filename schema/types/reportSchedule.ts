// Scheduled reports (administrators): the schedule, the runs it kept, and what an import made.
import { builder } from '../builder.ts';
import * as E from '../../generated/prisma/enums.ts';
import type { ReportRun, ReportSchedule } from '../../generated/prisma/client.ts';
import { ReportKindRef } from './report.ts';
import type { REPORT_KINDS } from '../../server/reports/report.ts';

export const ReportFormatRef = builder.enumType(E.ReportFormat, { name: 'ReportFormat' });

const ReportRunRef = builder.objectRef<Omit<ReportRun, 'content'> & { bytes: number }>('ReportRun').implement({
  description: 'One run of a scheduled report: download it with GET /reports/runs/<id> (administrators).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Database id of the run (the download path takes it).' }),
    ranAt: t.expose('ranAt', { type: 'DateTime' }),
    fileName: t.exposeString('fileName'),
    contentType: t.exposeString('contentType'),
    bytes: t.exposeInt('bytes', { description: 'Size of the file made.' }),
    mailedTo: t.exposeStringList('mailedTo'),
    error: t.exposeString('error', { description: 'Why it was not made or not mailed; empty when all went well.' }),
  }),
});

export const ReportScheduleRef = builder.prismaNode('ReportSchedule', {
  authScopes: { admin: true },
  id: { field: 'id' },
  nullable: true,
  description: 'A built-in report made on a schedule over the hours before each run, as its maker sees it (administrators).',
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.field({ type: ReportKindRef, resolve: (s) => s.kind as (typeof REPORT_KINDS)[number] }),
    windowHours: t.exposeInt('windowHours'),
    top: t.exposeInt('top', { nullable: true }),
    format: t.expose('format', { type: ReportFormatRef }),
    cron: t.exposeString('cron', { description: 'In UTC.' }),
    emailTo: t.exposeStringList('emailTo'),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime' }),
    cluster: t.prismaField({
      type: 'Cluster',
      nullable: true,
      resolve: (query, s, _a, ctx) => (s.clusterId ? ctx.db.cluster.findUnique({ ...query, where: { id: s.clusterId } }) : null),
    }),
    runs: t.field({
      type: [ReportRunRef],
      description: 'The runs kept (the last 20), newest first.',
      resolve: (s, _a, ctx) => ctx.db.$queryRaw<(Omit<ReportRun, 'content'> & { bytes: number })[]>`
        SELECT id, "scheduleId", "ranAt", "fileName", "contentType", octet_length(content)::int AS bytes, "mailedTo", error
        FROM "ReportRun" WHERE "scheduleId" = ${s.id}::uuid ORDER BY "ranAt" DESC`,
    }),
  }),
});

export const ReportScheduleImportRef = builder.objectRef<{ schedules: ReportSchedule[] }>('ReportScheduleImport').implement({
  fields: (t) => ({ reportSchedules: t.field({ type: [ReportScheduleRef], resolve: (r) => r.schedules }) }),
});
