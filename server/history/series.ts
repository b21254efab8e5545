// The SQL of one stats history: the rows of the level asked for, completed past each rollup's
// high-water mark from the level below (hours not yet in a day, samples not yet in an hour), as
// "parts" per object and period carrying sums, maxima and minima, so that a period made of
// several parts gets the mean of all its samples.
import { Prisma } from '../../generated/prisma/client.ts';
import { bin, ident, type SampleKind } from '../warehouse/levels.ts';
import type { StatsWindow } from './statsWindow.ts';
import type { Marks } from '../warehouse/marks.ts';

/** The most points a SAMPLE history has. */
export const MAX_POINTS = 300;
const WIDTHS = [5, 10, 15, 30, 60, 120, 300];

/**
 * Width of the SAMPLE buckets for a window, in seconds: the narrowest that keeps the window within
 * MAX_POINTS buckets (a window not aligned to the buckets touches one more than it spans).
 */
export function bucketSeconds(minutes: number): number {
  return WIDTHS.find((w) => (minutes * 60) / w <= MAX_POINTS - 1) ?? WIDTHS[WIDTHS.length - 1]!;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ts = (ms: number) => Prisma.sql`${new Date(ms).toISOString()}::timestamptz`;
const floor = (ms: number, width: number) => Math.floor(ms / width) * width;
const list = (parts: Prisma.Sql[]) => Prisma.join(parts, ', ');

/** Per object (the kind's key) and period: samples, newest sample, and `s_`/`x_`/`n_` (sum, max, min) of each figure. */
export function parts(kind: SampleKind, objects: Prisma.Sql, w: StatsWindow, marks: Marks): Prisma.Sql {
  const key = ident(kind.key);
  const raw = (period: Prisma.Sql, range: Prisma.Sql) => Prisma.sql`
    SELECT ${key} AS key, ${period} AS period, count(*) AS samples, max("sampledAt") AS last,
      ${list(kind.figures.flatMap((f) => [Prisma.sql`sum(${ident(f)})::float8 AS ${ident(`s_${f}`)}`, Prisma.sql`max(${ident(f)})::float8 AS ${ident(`x_${f}`)}`, Prisma.sql`min(${ident(f)})::float8 AS ${ident(`n_${f}`)}`]))}
    FROM ${ident(kind.samples)} WHERE ${key} IN (${objects}) AND ${range} GROUP BY 1, 2`;
  const rolled = (table: string, period: Prisma.Sql, lo: number, hi: number) => Prisma.sql`
    SELECT ${key} AS key, ${period} AS period, sum(samples) AS samples, max("lastSampledAt") AS last,
      ${list(kind.figures.flatMap((f) => [Prisma.sql`sum(${ident(`${f}Avg`)} * samples) AS ${ident(`s_${f}`)}`, Prisma.sql`max(${ident(`${f}Max`)}) AS ${ident(`x_${f}`)}`, Prisma.sql`min(${ident(`${f}Min`)}) AS ${ident(`n_${f}`)}`]))}
    FROM ${ident(table)} WHERE ${key} IN (${objects}) AND "periodStart" >= ${ts(lo)} AND "periodStart" < ${ts(hi)} GROUP BY 1, 2`;
  const from = w.from.getTime();
  const to = w.to.getTime();
  if (w.level === 'SAMPLE') {
    const width = bucketSeconds((to - from) / 60_000);
    return raw(
      Prisma.sql`to_timestamp(floor(extract(epoch FROM "sampledAt") / ${width}) * ${width})`,
      Prisma.sql`"sampledAt" > ${ts(from)} AND "sampledAt" <= ${ts(to)}`,
    );
  }
  // Rollups exist before their mark only; no mark yet: everything is still raw samples.
  const hourly = marks.hourly?.getTime() ?? Number.NEGATIVE_INFINITY;
  const daily = Math.min(marks.daily?.getTime() ?? Number.NEGATIVE_INFINITY, hourly);
  const width = w.level === 'HOURLY' ? HOUR : DAY;
  const lo = floor(from, width);
  const period = (column: string) => bin(w.level === 'HOURLY' ? '1 hour' : '1 day', Prisma.raw(column));
  const sources: Prisma.Sql[] = [];
  if (w.level === 'DAILY' && daily > lo) sources.push(rolled(kind.daily, period('"periodStart"'), lo, Math.min(daily, to)));
  const hourlyFrom = w.level === 'DAILY' ? Math.max(lo, daily) : lo;
  if (hourly > hourlyFrom) sources.push(rolled(kind.hourly, period('"periodStart"'), hourlyFrom, Math.min(hourly, to)));
  const rawFrom = Number.isFinite(hourly) ? Math.max(lo, hourly) : lo;
  sources.push(raw(period('"sampledAt"'), Prisma.sql`"sampledAt" >= ${ts(rawFrom)} AND "sampledAt" <= ${ts(to)}`));
  return Prisma.join(sources, ' UNION ALL ');
}

/** Each figure of the parts' periods: the mean of all its samples, and its max and min, named `f`, `fMax`, `fMin`. */
export function figures(kind: SampleKind): Prisma.Sql {
  return list(
    kind.figures.flatMap((f) => {
      const mean = Prisma.sql`sum(${ident(`s_${f}`)}) / sum(samples)`;
      const whole = kind.whole.includes(f);
      return [
        whole ? Prisma.sql`round(${mean})::int AS ${ident(f)}` : Prisma.sql`(${mean})::float8 AS ${ident(f)}`,
        Prisma.sql`max(${ident(`x_${f}`)})${Prisma.raw(whole ? '::int' : '::float8')} AS ${ident(`${f}Max`)}`,
        Prisma.sql`min(${ident(`n_${f}`)})${Prisma.raw(whole ? '::int' : '::float8')} AS ${ident(`${f}Min`)}`,
      ];
    }),
  );
}
