// Scheduled reports (administrators): the list and the definitions as JSON for another engine
// (importReportSchedules takes them back). Adding and removing are actions (server/actions/reports/).
import { builder } from '../schema/builder.ts';
import { ReportScheduleRef } from '../schema/types/reportSchedule.ts';
import type { ReportDefinition } from '../server/actions/reports/importReportSchedules.ts';

builder.queryFields((t) => ({
  reportSchedules: t.prismaField({
    type: [ReportScheduleRef],
    authScopes: { admin: true },
    description: 'Every report schedule, by name (administrators).',
    resolve: (query, _r, _a, ctx) => ctx.db.reportSchedule.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
  exportReportSchedules: t.string({
    authScopes: { admin: true },
    description:
      'Every report schedule\'s definition as JSON ({"version":1,"reportSchedules":[…]}, clusters by name), for importReportSchedules.',
    resolve: async (_r, _a, ctx) => {
      const rows = await ctx.db.reportSchedule.findMany({ orderBy: { name: 'asc' } });
      const clusters = new Map(
        (await ctx.db.cluster.findMany({ where: { id: { in: rows.flatMap((r) => (r.clusterId ? [r.clusterId] : [])) } } })).map((c) => [
          c.id,
          c.name,
        ]),
      );
      const reportSchedules: ReportDefinition[] = rows.map((r) => ({
        name: r.name,
        kind: r.kind,
        windowHours: r.windowHours,
        top: r.top,
        format: r.format,
        cron: r.cron,
        emailTo: r.emailTo,
        cluster: r.clusterId ? (clusters.get(r.clusterId) ?? null) : null,
      }));
      return JSON.stringify({ version: 1, reportSchedules }, null, 2);
    },
  }),
}));
