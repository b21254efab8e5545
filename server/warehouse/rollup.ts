// The rollup job: samples each storage domain's space, fills the hourly tables from the raw samples and the daily tables from the
// hourly ones, then applies each level's retention. Each level has a high-water mark
// (WarehouseMark.upTo): periods before it are complete and rolled up once; the job moves it one
// batch at a time, in the same transaction as the batch's upserts, so a crash or a second engine
// never counts a sample twice, and an engine that was down catches up from where the mark stands.
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import { KINDS, bin, ident, type SampleKind } from './levels.ts';
import { applyRetention, type Retention } from './retention.ts';
import { pruneChanges } from '../changes/changeRetention.ts';
import { readMarks, type Level, type Marks } from './marks.ts';
import { sampleStorageDomains } from './storageSamples.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An hour is rolled up this long after it ends: samples wait up to 10 s in monitoring's buffer. */
const GRACE_MS = 2 * 60_000;
/** The most periods one transaction rolls up (a day of hours, a month of days). */
const HOURS_PER_BATCH = 24;
const DAYS_PER_BATCH = 31;

export interface WarehouseOptions {
  now?: () => Date;
  retention?: Partial<Retention>;
  /** How often the job runs when started (default every 5 minutes). */
  everyMs?: number;
}

export interface RollupResult {
  hours: number;
  days: number;
  deleted: { samples: number; hourly: number; daily: number; changes: number };
}

export class Warehouse {
  private readonly now: () => Date;
  readonly retention: Retention;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RollupResult> | null = null;

  constructor(
    private readonly db: Db,
    private readonly opts: WarehouseOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.retention = { sampleHours: 24, hourlyDays: 61, dailyDays: 5 * 365, changeHours: 24, ...opts.retention };
  }

  /** One pass: rolls up every complete period not yet rolled up, then deletes what is past retention. Passes do not overlap. */
  run(): Promise<RollupResult> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The marks: periods before them are final. Null before the first pass that found samples. */
  marks(): Promise<Marks> {
    return readMarks(this.db);
  }

  start() {
    this.timer ??= setInterval(
      () => {
        this.run().catch((err) => console.error('warehouse:', err));
      },
      this.opts.everyMs ?? 5 * 60_000,
    );
    this.timer.unref();
    this.run().catch((err) => console.error('warehouse:', err));
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<RollupResult> {
    const now = this.now();
    await sampleStorageDomains(this.db, now);
    const hours = await this.fill('hourly', floor(now.getTime() - GRACE_MS, HOUR), HOURS_PER_BATCH * HOUR);
    const { hourly } = await this.marks();
    const days = hourly ? await this.fill('daily', floor(hourly.getTime(), DAY), DAYS_PER_BATCH * DAY) : 0;
    const deleted = await applyRetention(this.db, now, this.retention, await this.marks());
    const changes = await pruneChanges(this.db, new Date(now.getTime() - this.retention.changeHours * 3_600_000));
    return { hours, days, deleted: { ...deleted, changes } };
  }

  /** Moves the level's mark up to `target` in batches; returns how many periods it rolled up. */
  private async fill(level: Level, target: number, batchMs: number): Promise<number> {
    const width = level === 'hourly' ? HOUR : DAY;
    let mark = (await this.marks())[level]?.getTime() ?? (await this.firstPeriod(level, width));
    if (mark === null) return 0;
    let periods = 0;
    while (mark < target) {
      const start: number = mark;
      const end = Math.min(start + batchMs, target);
      const moved = await this.db.$transaction(async (tx) => {
        // The mark's row lock orders concurrent engines; one that finds the mark moved stops.
        const n = await tx.$executeRaw`INSERT INTO "WarehouseMark" (level, "upTo") VALUES (${level}, ${iso(end)}::timestamptz)
          ON CONFLICT (level) DO UPDATE SET "upTo" = EXCLUDED."upTo" WHERE "WarehouseMark"."upTo" = ${iso(start)}::timestamptz`;
        if (n === 0) return false;
        for (const kind of KINDS) await tx.$executeRaw(level === 'hourly' ? hourlyUpsert(kind, start, end) : dailyUpsert(kind, start, end));
        return true;
      });
      if (!moved) return periods;
      periods += (end - start) / width;
      mark = end;
    }
    return periods;
  }

  /** Where a level starts when it has no mark: the period of the oldest row it is made from. */
  private async firstPeriod(level: Level, width: number): Promise<number | null> {
    const oldest = KINDS.map((kind) =>
      level === 'hourly'
        ? Prisma.sql`(SELECT min("sampledAt") FROM ${ident(kind.samples)})`
        : Prisma.sql`(SELECT min("periodStart") FROM ${ident(kind.hourly)})`,
    );
    const [row] = await this.db.$queryRaw<{ t: Date | null }[]>`SELECT least(${Prisma.join(oldest, ', ')}) AS t`;
    if (!row?.t) return null;
    // The first pass claims the mark (a concurrent one finds it there and starts from it).
    const start = floor(row.t.getTime(), width);
    await this.db
      .$executeRaw`INSERT INTO "WarehouseMark" (level, "upTo") VALUES (${level}, ${iso(start)}::timestamptz) ON CONFLICT (level) DO NOTHING`;
    return (await this.marks())[level]!.getTime();
  }
}

const floor = (ms: number, width: number) => Math.floor(ms / width) * width;
const iso = (ms: number) => new Date(ms).toISOString();
const list = (parts: Prisma.Sql[]) => Prisma.join(parts, ', ');
const columns = (kind: SampleKind) => kind.figures.flatMap((f) => ['Avg', 'Max', 'Min'].map((s) => ident(f + s)));
const replaceAll = (kind: SampleKind) =>
  list(
    ['samples', 'lastSampledAt', ...kind.figures.flatMap((f) => ['Avg', 'Max', 'Min'].map((s) => f + s))].map(
      (c) => Prisma.sql`${ident(c)} = EXCLUDED.${ident(c)}`,
    ),
  );

/** The hours in [from, to) from the raw samples; a re-run replaces a row, never adds to it. */
function hourlyUpsert(kind: SampleKind, from: number, to: number): Prisma.Sql {
  const figures = kind.figures.flatMap((f) => [Prisma.sql`avg(${ident(f)})`, Prisma.sql`max(${ident(f)})`, Prisma.sql`min(${ident(f)})`]);
  return Prisma.sql`INSERT INTO ${ident(kind.hourly)} (${ident(kind.key)}, "periodStart", samples, "lastSampledAt", ${list(columns(kind))})
    SELECT ${ident(kind.key)}, ${bin('1 hour', Prisma.sql`"sampledAt"`)}, count(*), max("sampledAt"), ${list(figures)}
    FROM ${ident(kind.samples)} WHERE "sampledAt" >= ${iso(from)}::timestamptz AND "sampledAt" < ${iso(to)}::timestamptz
    GROUP BY 1, 2
    ON CONFLICT (${ident(kind.key)}, "periodStart") DO UPDATE SET ${replaceAll(kind)}`;
}

/** The days in [from, to) from the hourly rows: means weighted by each hour's samples. */
function dailyUpsert(kind: SampleKind, from: number, to: number): Prisma.Sql {
  const figures = kind.figures.flatMap((f) => [
    Prisma.sql`sum(${ident(`${f}Avg`)} * samples) / sum(samples)`,
    Prisma.sql`max(${ident(`${f}Max`)})`,
    Prisma.sql`min(${ident(`${f}Min`)})`,
  ]);
  return Prisma.sql`INSERT INTO ${ident(kind.daily)} (${ident(kind.key)}, "periodStart", samples, "lastSampledAt", ${list(columns(kind))})
    SELECT ${ident(kind.key)}, ${bin('1 day', Prisma.sql`"periodStart"`)}, sum(samples), max("lastSampledAt"), ${list(figures)}
    FROM ${ident(kind.hourly)} WHERE "periodStart" >= ${iso(from)}::timestamptz AND "periodStart" < ${iso(to)}::timestamptz
    GROUP BY 1, 2
    ON CONFLICT (${ident(kind.key)}, "periodStart") DO UPDATE SET ${replaceAll(kind)}`;
}
