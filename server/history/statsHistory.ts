// Stats history for the portals' charts and the API, from the stored samples and the warehouse's
// rollups (server/warehouse/): a window of up to a day comes from the raw samples as at most
// MAX_POINTS time buckets; longer ones from the hourly or daily rows (series.ts). Each point is
// the mean (and max and min) of its samples, stamped with its newest sample's time: the live
// sample a subscription sends first has that same time when it is already stored, so a chart
// replaces the bucket with it.
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import type { Visibility } from '../auth/permissions.ts';
import { HOST, VM } from '../warehouse/levels.ts';
import { readMarks as marks } from '../warehouse/marks.ts';
import { figures, parts } from './series.ts';
import type { StatsWindow } from './statsWindow.ts';

export { MAX_POINTS, bucketSeconds } from './series.ts';
export { MAX_MINUTES } from './statsWindow.ts';

interface Point {
  periodStart: Date;
  sampledAt: Date;
  samples: number;
}
type Spread<K extends string> = Record<`${K}Max` | `${K}Min`, number>;
export type HostStatsPoint = Point &
  Spread<'cpuPercent' | 'memUsedMb'> & {
    cpuPercent: number;
    cpuLoad: number;
    memUsedMb: number;
    memFreeMb: number;
    netRxBps: number;
    netTxBps: number;
  };
export type VmStatsPoint = Point &
  Spread<'cpuPercent' | 'memUsedMb'> & {
    cpuPercent: number;
    memUsedMb: number;
    netRxBps: number;
    netTxBps: number;
    diskReadBps: number;
    diskWriteBps: number;
  };
export interface SystemStatsPoint {
  periodStart: Date;
  sampledAt: Date;
  hosts: number;
  cpuPercent: number;
  memUsedPercent: number;
  netRxBps: number;
  netTxBps: number;
}

/** One host's history in the window, oldest first. */
export async function hostStatsHistory(db: Db, hostId: string, w: StatsWindow): Promise<HostStatsPoint[]> {
  return db.$queryRaw<
    HostStatsPoint[]
  >`SELECT period AS "periodStart", max(last) AS "sampledAt", sum(samples)::int AS samples, ${figures(HOST)}
    FROM (${parts(HOST, Prisma.sql`${hostId}::uuid`, w, await marks(db))}) p GROUP BY period ORDER BY period`;
}

/** One VM's history in the window (while it ran), oldest first. */
export async function vmStatsHistory(db: Db, vmId: string, w: StatsWindow): Promise<VmStatsPoint[]> {
  return db.$queryRaw<VmStatsPoint[]>`SELECT period AS "periodStart", max(last) AS "sampledAt", sum(samples)::int AS samples, ${figures(VM)}
    FROM (${parts(VM, Prisma.sql`${vmId}::uuid`, w, await marks(db))}) p GROUP BY period ORDER BY period`;
}

/**
 * Every host the visibility allows (of one cluster, when given), per period: each host's mean
 * first, then the mean CPU of those hosts, their memory used of their total, and their summed
 * network traffic (what the dashboard's live charts compute from the hosts' latest samples).
 */
export async function systemStatsHistory(db: Db, v: Visibility, w: StatsWindow, clusterId?: string): Promise<SystemStatsPoint[]> {
  const hosts = Prisma.sql`SELECT h.id FROM "Host" h WHERE (${v.all} OR h.id = ANY(${v.hostIds}::uuid[]) OR h."clusterId" = ANY(${v.clusterIds}::uuid[]))
    ${clusterId ? Prisma.sql`AND h."clusterId" = ${clusterId}::uuid` : Prisma.empty}`;
  return db.$queryRaw<SystemStatsPoint[]>`
    SELECT period AS "periodStart", max(at) AS "sampledAt", count(*)::int AS hosts, avg(cpu) AS "cpuPercent",
      coalesce(sum(used) * 100 / nullif(sum(used + free), 0), 0)::float8 AS "memUsedPercent", sum(rx) AS "netRxBps", sum(tx) AS "netTxBps"
    FROM (
      SELECT period, max(last) AS at, sum("s_cpuPercent") / sum(samples) AS cpu, sum("s_memUsedMb") / sum(samples) AS used,
        sum("s_memFreeMb") / sum(samples) AS free, sum("s_netRxBps") / sum(samples) AS rx, sum("s_netTxBps") / sum(samples) AS tx
      FROM (${parts(HOST, hosts, w, await marks(db))}) p GROUP BY period, key
    ) per_host
    GROUP BY period ORDER BY period`;
}
