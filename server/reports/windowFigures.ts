// Each object's figures over a whole report window: the mean and the max of every figure and how
// many samples there are, from the stored history (raw samples, hourly and daily rows, each part
// of the window from the level that holds it: server/history/series.ts).
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import { parts } from '../history/series.ts';
import { statsWindow } from '../history/statsWindow.ts';
import { ident, type SampleKind } from '../warehouse/levels.ts';
import { readMarks } from '../warehouse/marks.ts';

export interface WindowFigures {
  samples: number;
  avg: Record<string, number>;
  max: Record<string, number>;
}

/** Per object id (of `objects`, a query of ids) with samples in the window. */
export async function windowFigures(
  db: Db,
  kind: SampleKind,
  objects: Prisma.Sql,
  from: Date,
  to: Date,
): Promise<Map<string, WindowFigures>> {
  const w = statsWindow({ from, to }, to);
  const figures = Prisma.join(
    kind.figures.flatMap((f) => [
      Prisma.sql`(sum(${ident(`s_${f}`)}) / sum(samples))::float8 AS ${ident(`avg_${f}`)}`,
      Prisma.sql`max(${ident(`x_${f}`)})::float8 AS ${ident(`max_${f}`)}`,
    ]),
    ', ',
  );
  const rows = await db.$queryRaw<Record<string, unknown>[]>`SELECT key::text AS key, sum(samples)::int AS samples, ${figures}
    FROM (${parts(kind, objects, w, await readMarks(db))}) p GROUP BY key`;
  return new Map(
    rows.map((r) => [
      r.key as string,
      {
        samples: r.samples as number,
        avg: Object.fromEntries(kind.figures.map((f) => [f, Number(r[`avg_${f}`] ?? 0)])),
        max: Object.fromEntries(kind.figures.map((f) => [f, Number(r[`max_${f}`] ?? 0)])),
      },
    ]),
  );
}
