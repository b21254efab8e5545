// The rollups' high-water marks: every period before a level's mark is complete and final.
import type { Db } from '../db.ts';

export type Level = 'hourly' | 'daily';
export type Marks = Record<Level, Date | null>;

/** Null for a level no pass has started yet (no samples to roll up). */
export async function readMarks(db: Db): Promise<Marks> {
  const rows = await db.warehouseMark.findMany();
  const of = (level: Level) => rows.find((r) => r.level === level)?.upTo ?? null;
  return { hourly: of('hourly'), daily: of('daily') };
}
