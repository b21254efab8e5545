// The built-in reports as a query; the CSV and PDF downloads are server/http/reports.ts.
import { builder } from '../schema/builder.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { ReportKindRef, ReportRef } from '../schema/types/report.ts';
import { buildReport } from '../server/reports/build.ts';

builder.queryField('report', (t) =>
  t.field({
    type: ReportRef,
    description: 'A built-in report over a window, of the hosts and VMs one may see (of one cluster when given).',
    args: {
      kind: t.arg({ type: ReportKindRef, required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', description: 'Now by default.' }),
      cluster: t.arg.id({ description: 'Only this cluster.' }),
      top: t.arg.int({ description: 'The most rows (1 to 1000), for the top-consumer reports.' }),
    },
    resolve: async (_root, args, ctx) =>
      buildReport(
        { db: ctx.db, now: ctx.engine.now, reportIntervalMs: ctx.engine.monitoring.reportIntervalMs },
        await ctx.visibility(),
        args.kind,
        {
          from: args.from,
          to: args.to ?? ctx.engine.now(),
          clusterId: optionalLocalId(args.cluster as string | null, 'Cluster', 'cluster'),
          top: args.top,
        },
      ),
  }),
);
