// A built-in report (server/reports/): a titled table over a window, and its chart.
import { builder } from '../builder.ts';
import { REPORT_KINDS, type Report, type ReportBar, type ReportColumn } from '../../server/reports/report.ts';

export const ReportKindRef = builder.enumType('ReportKind', {
  description: 'The built-in reports (also downloadable: GET /reports/<kind>.csv or .pdf, see the README).',
  values: Object.fromEntries(REPORT_KINDS.map((k) => [k, {}])) as Record<(typeof REPORT_KINDS)[number], object>,
});

const ReportColumnRef = builder.objectRef<ReportColumn>('ReportColumn').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    label: t.exposeString('label'),
    unit: t.exposeString('unit', { nullable: true, description: "'%', 'MiB', 'B/s', 'h'…; none for names and counts." }),
  }),
});

const ReportRowRef = builder.objectRef<Report['rows'][number]>('ReportRow').implement({
  fields: (t) => ({
    cells: t.stringList({
      nullable: { list: false, items: true },
      description: 'One per column, as text; empty cells are null.',
      resolve: (row) => row.map((c) => (c === null ? null : String(c))),
    }),
  }),
});

const ReportBarRef = builder.objectRef<ReportBar>('ReportBar').implement({
  fields: (t) => ({ label: t.exposeString('label'), value: t.exposeFloat('value') }),
});

const ReportChartRef = builder.objectRef<NonNullable<Report['chart']>>('ReportChart').implement({
  fields: (t) => ({
    title: t.exposeString('title'),
    unit: t.exposeString('unit', { nullable: true }),
    bars: t.field({ type: [ReportBarRef], resolve: (c) => c.bars }),
  }),
});

export const ReportRef = builder.objectRef<Report>('Report').implement({
  description: 'A report over a window: the objects one may see, as a table and a chart.',
  fields: (t) => ({
    kind: t.field({ type: ReportKindRef, resolve: (r) => r.kind }),
    title: t.exposeString('title'),
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    columns: t.field({ type: [ReportColumnRef], resolve: (r) => r.columns }),
    rows: t.field({ type: [ReportRowRef], resolve: (r) => r.rows }),
    chart: t.field({ type: ReportChartRef, nullable: true, resolve: (r) => r.chart }),
  }),
});
