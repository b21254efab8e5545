// Builds a report of a kind for a reader: the one place the API and the downloads ask.
import type { Db } from '../db.ts';
import type { Visibility } from '../auth/permissions.ts';
import { InputError } from '../errors.ts';
import { clusterCapacity } from './clusterCapacity.ts';
import { hostUtilisation } from './hostUtilisation.ts';
import { inventory } from './inventory.ts';
import type { Report, ReportKind, ReportParams } from './report.ts';
import { vmAvailability } from './vmAvailability.ts';
import { vmUtilisation } from './vmUtilisation.ts';
import { storageGrowth } from './storageGrowth.ts';

/** The longest window a report covers: ten years (the daily history's reach). */
const MAX_SPAN_MS = 3660 * 86_400_000;

/** What a report reads: the database, the engine's clock and how often agents report (availability). */
export interface ReportSource {
  db: Db;
  now(): Date;
  reportIntervalMs: number;
}

export async function buildReport(engine: ReportSource, v: Visibility, kind: ReportKind, p: ReportParams): Promise<Report> {
  const span = p.to.getTime() - p.from.getTime();
  if (!(span > 0)) throw new InputError([{ path: 'to', message: 'must be later than from' }]);
  if (span > MAX_SPAN_MS) throw new InputError([{ path: 'from', message: 'a report covers at most 3660 days' }]);
  if (p.top != null && !(Number.isInteger(p.top) && p.top >= 1 && p.top <= 1000))
    throw new InputError([{ path: 'top', message: 'must be a whole number from 1 to 1000' }]);
  switch (kind) {
    case 'HOST_UTILISATION':
      return hostUtilisation(engine.db, v, p);
    case 'VM_UTILISATION':
      return vmUtilisation(engine.db, v, p);
    case 'VM_AVAILABILITY':
      return vmAvailability(engine.db, v, p, engine.now(), engine.reportIntervalMs);
    case 'CLUSTER_CAPACITY':
      return clusterCapacity(engine.db, v, p);
    case 'STORAGE_GROWTH':
      return storageGrowth(engine.db, v, p);
    case 'INVENTORY':
      return inventory(engine.db, v, p);
  }
}
