// What a VM, host or cluster was configured as, over time: the revisions the database trigger
// of migration config_history writes on every creation and change of configuration.
import type { Db } from '../db.ts';

export type ConfigObject = 'Vm' | 'Host' | 'Cluster';

export interface ConfigRevision {
  changedAt: Date;
  config: Record<string, unknown>;
  /** The configuration fields this revision changed (all of them for the first one known). */
  changedFields: string[];
}

/** Newest first, at most `first`. */
export async function configHistory(db: Db, type: ConfigObject, id: string, first: number): Promise<ConfigRevision[]> {
  // One more than asked, so the oldest one returned knows what it changed.
  const rows = await db.configRevision.findMany({
    where: { objectType: type, objectId: id },
    orderBy: [{ changedAt: 'desc' }, { id: 'desc' }],
    take: first + 1,
  });
  return rows.slice(0, first).map((r, i) => revision(r, rows[i + 1]));
}

/** The configuration in force at `time`: the newest revision not after it (null before the object's first). */
export async function configAt(db: Db, type: ConfigObject, id: string, time: Date): Promise<ConfigRevision | null> {
  const rows = await db.configRevision.findMany({
    where: { objectType: type, objectId: id, changedAt: { lte: time } },
    orderBy: [{ changedAt: 'desc' }, { id: 'desc' }],
    take: 2,
  });
  return rows[0] ? revision(rows[0], rows[1]) : null;
}

type Row = { changedAt: Date; config: unknown };

function revision(row: Row, previous: Row | undefined): ConfigRevision {
  const config = row.config as Record<string, unknown>;
  const before = (previous?.config ?? {}) as Record<string, unknown>;
  const changedFields = Object.keys(config)
    .filter((k) => !previous || JSON.stringify(config[k]) !== JSON.stringify(before[k]))
    .sort();
  return { changedAt: row.changedAt, config, changedFields };
}
