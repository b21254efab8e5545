// Recent history from the stored samples (HostSample, VmSample), for the portals' charts. A
// window of up to a day comes back as at most MAX_POINTS time buckets, each the mean of its
// samples and stamped with its newest sample's time: the live sample a subscription sends first
// has that same time when it is already stored, so a chart replaces the bucket with it.
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import type { Visibility } from '../auth/permissions.ts';

/** The longest window one request may read, in minutes (a day). */
export const MAX_MINUTES = 1440;
/** The most points one history has. */
export const MAX_POINTS = 300;
const WIDTHS = [5, 10, 15, 30, 60, 120, 300];

/**
 * Width of the buckets for a window, in seconds: the narrowest that keeps the window within
 * MAX_POINTS buckets (a window not aligned to the buckets touches one more than it spans).
 */
export function bucketSeconds(minutes: number): number {
  return WIDTHS.find((w) => (minutes * 60) / w <= MAX_POINTS - 1) ?? WIDTHS[WIDTHS.length - 1]!;
}

interface Bucket { sampledAt: Date; samples: number }
export interface HostStatsPoint extends Bucket { cpuPercent: number; cpuLoad: number; memUsedMb: number; memFreeMb: number; netRxBps: number; netTxBps: number }
export interface VmStatsPoint extends Bucket { cpuPercent: number; memUsedMb: number; netRxBps: number; netTxBps: number; diskReadBps: number; diskWriteBps: number }
export interface SystemStatsPoint { sampledAt: Date; hosts: number; cpuPercent: number; memUsedPercent: number; netRxBps: number; netTxBps: number }

/** The samples of one host in the last `minutes`, bucketed, oldest first. */
export function hostStatsHistory(db: Db, hostId: string, minutes: number, now = new Date()): Promise<HostStatsPoint[]> {
  return bucketed(db, Prisma.sql`"HostSample" WHERE "hostId" = ${hostId}::uuid`, Prisma.sql`avg("cpuPercent") AS "cpuPercent", avg("cpuLoad") AS "cpuLoad",
    round(avg("memUsedMb"))::int AS "memUsedMb", round(avg("memFreeMb"))::int AS "memFreeMb", avg("netRxBps") AS "netRxBps", avg("netTxBps") AS "netTxBps"`, minutes, now);
}

/** The samples of one VM in the last `minutes`, bucketed, oldest first. */
export function vmStatsHistory(db: Db, vmId: string, minutes: number, now = new Date()): Promise<VmStatsPoint[]> {
  return bucketed(db, Prisma.sql`"VmSample" WHERE "vmId" = ${vmId}::uuid`, Prisma.sql`avg("cpuPercent") AS "cpuPercent", round(avg("memUsedMb"))::int AS "memUsedMb",
    avg("netRxBps") AS "netRxBps", avg("netTxBps") AS "netTxBps", avg("diskReadBps") AS "diskReadBps", avg("diskWriteBps") AS "diskWriteBps"`, minutes, now);
}

function bucketed<T>(db: Db, from: Prisma.Sql, means: Prisma.Sql, minutes: number, now: Date): Promise<T[]> {
  return db.$queryRaw<T[]>`
    SELECT max("sampledAt") AS "sampledAt", count(*)::int AS samples, ${means}
    FROM ${from} AND "sampledAt" > ${since(minutes, now)}::timestamptz AND "sampledAt" <= ${now.toISOString()}::timestamptz
    GROUP BY floor(extract(epoch FROM "sampledAt") / ${bucketSeconds(minutes)}) ORDER BY 1`;
}

/**
 * Every host the visibility allows, bucketed: per bucket each host's mean first, then the mean
 * CPU of those hosts, their memory used of their total, and their summed network traffic (what
 * the dashboard's live charts compute from the hosts' latest samples).
 */
export function systemStatsHistory(db: Db, v: Visibility, minutes: number, now = new Date()): Promise<SystemStatsPoint[]> {
  return db.$queryRaw<SystemStatsPoint[]>`
    SELECT max(at) AS "sampledAt", count(*)::int AS hosts, avg(cpu) AS "cpuPercent",
      coalesce(sum(used) * 100 / nullif(sum(used + free), 0), 0)::float8 AS "memUsedPercent", sum(rx) AS "netRxBps", sum(tx) AS "netTxBps"
    FROM (
      SELECT floor(extract(epoch FROM s."sampledAt") / ${bucketSeconds(minutes)}) AS bucket, max(s."sampledAt") AS at, avg(s."cpuPercent") AS cpu,
        avg(s."memUsedMb") AS used, avg(s."memFreeMb") AS free, avg(s."netRxBps") AS rx, avg(s."netTxBps") AS tx
      FROM "HostSample" s JOIN "Host" h ON h.id = s."hostId"
      WHERE s."sampledAt" > ${since(minutes, now)}::timestamptz AND s."sampledAt" <= ${now.toISOString()}::timestamptz
        AND (${v.all} OR h.id = ANY(${v.hostIds}::uuid[]) OR h."clusterId" = ANY(${v.clusterIds}::uuid[]))
      GROUP BY bucket, s."hostId"
    ) per_host
    GROUP BY bucket ORDER BY bucket`;
}

const since = (minutes: number, now: Date) => new Date(now.getTime() - minutes * 60_000).toISOString();
