// Each level's retention, applied by the rollup job in bounded batches: rows past their level's
// age are deleted a batch at a time (one short statement each, so reports never wait long behind
// it), and never before the next level up holds them (a sample waits for its hour's rollup).
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import { deleteInBatches } from './batchedDelete.ts';
import { KINDS, ident } from './levels.ts';

export interface Retention {
  /** Raw samples (oVirt's DWH: 24 hours). */
  sampleHours: number;
  /** Hourly rows (2 months). */
  hourlyDays: number;
  /** Daily rows (5 years). */
  dailyDays: number;
  /** The change feed's rows (a day): how long a client may be away and still resume from its cursor. */
  changeHours: number;
}

export async function applyRetention(db: Db, now: Date, r: Retention, marks: { hourly: Date | null; daily: Date | null }) {
  const before = (ms: number, mark: Date | null) => new Date(Math.min(now.getTime() - ms, mark?.getTime() ?? -Infinity));
  const samplesBefore = before(r.sampleHours * 3_600_000, marks.hourly);
  const hourlyBefore = before(r.hourlyDays * 86_400_000, marks.daily);
  const dailyBefore = new Date(now.getTime() - r.dailyDays * 86_400_000);
  const deleted = { samples: 0, hourly: 0, daily: 0 };
  for (const kind of KINDS) {
    deleted.samples += await deleteBefore(db, kind.samples, '"sampledAt"', samplesBefore);
    deleted.hourly += await deleteBefore(db, kind.hourly, '"periodStart"', hourlyBefore);
    deleted.daily += await deleteBefore(db, kind.daily, '"periodStart"', dailyBefore);
  }
  return deleted;
}

/** Rows by their physical address (a TID scan), a batch found through the time index. */
async function deleteBefore(db: Db, table: string, column: string, before: Date): Promise<number> {
  if (!Number.isFinite(before.getTime())) return 0;
  return deleteInBatches(
    (limit) => db.$executeRaw`DELETE FROM ${ident(table)} WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM ${ident(table)} WHERE ${Prisma.raw(column)} < ${before.toISOString()}::timestamptz LIMIT ${limit}))`,
  );
}
