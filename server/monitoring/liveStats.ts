// The latest sample of every host and VM that reports to this engine, kept in memory as reports
// arrive (before their transaction) and written to the database in batches: one statement per
// table per flush. Queries for current stats read here first, so a dashboard is never behind what
// it was pushed; the database's rows are at most one flush period old (what a crash loses).
import type { Db } from '../db.ts';
import type { HostStatistics, VmStatistics } from '../../generated/prisma/client.ts';
import type { HostStatsEvent, VmStatsEvent } from '../pubsub.ts';
import { PeriodicFlush } from './periodicFlush.ts';

export class LiveStats extends PeriodicFlush {
  private readonly hosts = new Map<string, HostStatistics>();
  private readonly vms = new Map<string, VmStatistics>();
  /** Hosts heard from by reports that needed no transaction: their last-seen time is written with the batch. */
  private seenAt = new Map<string, Date>();
  private dirtyHosts = new Set<string>();
  private dirtyVms = new Set<string>();
  /** Rows written by the flushes so far (hosts and VMs). */
  written = 0;

  constructor(private readonly db: Db) {
    super();
  }

  /** Keeps a host's sample unless a newer one is kept already. */
  putHost(row: HostStatistics) {
    const old = this.hosts.get(row.hostId);
    if (old && old.sampledAt > row.sampledAt) return;
    this.hosts.set(row.hostId, row);
    this.dirtyHosts.add(row.hostId);
  }

  putVm(row: VmStatistics) {
    const old = this.vms.get(row.vmId);
    if (old && old.sampledAt > row.sampledAt) return;
    this.vms.set(row.vmId, row);
    this.dirtyVms.add(row.vmId);
  }

  seen(hostId: string, at: Date) {
    this.seenAt.set(hostId, at);
  }

  host(hostId: string): HostStatistics | undefined {
    return this.hosts.get(hostId);
  }

  vm(vmId: string): VmStatistics | undefined {
    return this.vms.get(vmId);
  }

  /** VMs that no longer run (their rows are deleted by the caller's transaction): nothing of them is served or written again. */
  forgetVms(vmIds: Iterable<string>) {
    for (const id of vmIds) {
      this.vms.delete(id);
      this.dirtyVms.delete(id);
    }
  }

  /** Samples kept but not written yet. */
  get pending() {
    return this.dirtyHosts.size + this.dirtyVms.size;
  }

  /** Hosts whose last-seen time is not written yet. */
  get pendingSeen() {
    return this.seenAt.size;
  }

  /** Writes what changed since the last flush; flushes run one after another. A failed write is tried again at the next flush. */
  flush(): Promise<void> {
    const hostIds = this.dirtyHosts;
    const vmIds = this.dirtyVms;
    const seen = this.seenAt;
    this.dirtyHosts = new Set();
    this.dirtyVms = new Set();
    this.seenAt = new Map();
    return this.queue(async () => {
      const hosts = [...hostIds].flatMap((id) => this.hosts.get(id) ?? []);
      const vms = [...vmIds].flatMap((id) => this.vms.get(id) ?? []);
      if (!hosts.length && !vms.length && !seen.size) return;
      try {
        await this.db.$transaction([
          ...upsertHostStatistics(this.db, hosts),
          ...upsertVmStatistics(this.db, vms),
          ...updateLastSeen(this.db, seen),
        ]);
        this.written += hosts.length + vms.length;
      } catch (err) {
        console.error(`live stats: writing ${hosts.length + vms.length} samples failed, trying again at the next flush:`, err);
        for (const h of hosts) if (this.hosts.get(h.hostId) === h) this.dirtyHosts.add(h.hostId);
        for (const v of vms) if (this.vms.get(v.vmId) === v) this.dirtyVms.add(v.vmId);
        for (const [id, at] of seen) if (!this.seenAt.has(id)) this.seenAt.set(id, at);
      }
    });
  }
}

/** A published host sample as its statistics row. */
export function hostStatisticsRow(e: HostStatsEvent): HostStatistics {
  return {
    hostId: e.hostId,
    cpuUserPercent: e.cpuUserPercent,
    cpuSysPercent: e.cpuSysPercent,
    cpuIdlePercent: e.cpuIdlePercent,
    cpuLoad: e.cpuLoad,
    memUsedMb: e.memUsedMb,
    memFreeMb: e.memFreeMb,
    swapUsedMb: e.swapUsedMb,
    netRxBps: e.netRxBps,
    netTxBps: e.netTxBps,
    runningVms: e.runningVms,
    sampledAt: new Date(e.sampledAt),
  };
}

/** A host's statistics row as the event subscribers get. */
export function hostStatsEvent(row: HostStatistics, clusterId: string): HostStatsEvent {
  const { sampledAt, ...rest } = row;
  return { ...rest, clusterId, sampledAt: sampledAt.toISOString() };
}

/** A VM's statistics row as the event subscribers get (the console's fields stay out). */
export function vmStatsEvent(row: VmStatistics, hostId: string, clusterId: string): VmStatsEvent {
  return {
    vmId: row.vmId,
    hostId,
    clusterId,
    cpuPercent: row.cpuPercent,
    memUsedMb: row.memUsedMb,
    netRxBps: row.netRxBps,
    netTxBps: row.netTxBps,
    diskReadBps: row.diskReadBps,
    diskWriteBps: row.diskWriteBps,
    uptimeSeconds: row.uptimeSeconds,
    guestHostname: row.guestHostname,
    guestIps: row.guestIps,
    guestApps: row.guestApps,
    guestUser: row.guestUser,
    sampledAt: row.sampledAt.toISOString(),
  };
}

function updateLastSeen(db: Db, seen: Map<string, Date>) {
  if (!seen.size) return [];
  const rows = [...seen].map(([id, at]) => ({ id, at }));
  return [
    db.$executeRaw`UPDATE "Host" h SET "lastSeenAt" = s.at FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS s(id uuid, at timestamptz)
      WHERE h.id = s.id AND (h."lastSeenAt" IS NULL OR h."lastSeenAt" < s.at)`,
  ];
}

// Rows of hosts and VMs removed meanwhile are skipped; a row never replaces a newer one (another engine's).
function upsertHostStatistics(db: Db, rows: HostStatistics[]) {
  if (!rows.length) return [];
  return [
    db.$executeRaw`INSERT INTO "HostStatistics" ("hostId", "cpuUserPercent", "cpuSysPercent", "cpuIdlePercent", "cpuLoad", "memUsedMb", "memFreeMb", "swapUsedMb", "netRxBps", "netTxBps", "runningVms", "sampledAt")
      SELECT s.* FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS s("hostId" uuid, "cpuUserPercent" float8, "cpuSysPercent" float8,
        "cpuIdlePercent" float8, "cpuLoad" float8, "memUsedMb" int, "memFreeMb" int, "swapUsedMb" int, "netRxBps" float8, "netTxBps" float8, "runningVms" int, "sampledAt" timestamptz)
      WHERE EXISTS (SELECT 1 FROM "Host" h WHERE h.id = s."hostId")
      ON CONFLICT ("hostId") DO UPDATE SET "cpuUserPercent" = EXCLUDED."cpuUserPercent", "cpuSysPercent" = EXCLUDED."cpuSysPercent", "cpuIdlePercent" = EXCLUDED."cpuIdlePercent",
        "cpuLoad" = EXCLUDED."cpuLoad", "memUsedMb" = EXCLUDED."memUsedMb", "memFreeMb" = EXCLUDED."memFreeMb", "swapUsedMb" = EXCLUDED."swapUsedMb",
        "netRxBps" = EXCLUDED."netRxBps", "netTxBps" = EXCLUDED."netTxBps", "runningVms" = EXCLUDED."runningVms", "sampledAt" = EXCLUDED."sampledAt"
      WHERE "HostStatistics"."sampledAt" <= EXCLUDED."sampledAt"`,
  ];
}

function upsertVmStatistics(db: Db, rows: VmStatistics[]) {
  if (!rows.length) return [];
  return [
    db.$executeRaw`INSERT INTO "VmStatistics" ("vmId", "cpuPercent", "memUsedMb", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps", "uptimeSeconds",
      "guestHostname", "guestIps", "guestApps", "guestUser", "displayType", "displayAddress", "displayPort", "displayTlsPort", "displayWebsocketPort", "sampledAt")
    SELECT r."vmId", r."cpuPercent", r."memUsedMb", r."netRxBps", r."netTxBps", r."diskReadBps", r."diskWriteBps", r."uptimeSeconds",
      r."guestHostname", r."guestIps", r."guestApps", r."guestUser", r."displayType"::"DisplayType", r."displayAddress", r."displayPort", r."displayTlsPort", r."displayWebsocketPort", r."sampledAt"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("vmId" uuid, "cpuPercent" float8, "memUsedMb" int, "netRxBps" float8, "netTxBps" float8, "diskReadBps" float8,
      "diskWriteBps" float8, "uptimeSeconds" int, "guestHostname" text, "guestIps" text[], "guestApps" text[], "guestUser" text,
      "displayType" text, "displayAddress" text, "displayPort" int, "displayTlsPort" int, "displayWebsocketPort" int, "sampledAt" timestamptz)
    WHERE EXISTS (SELECT 1 FROM "Vm" v WHERE v.id = r."vmId")
    ON CONFLICT ("vmId") DO UPDATE SET "cpuPercent" = EXCLUDED."cpuPercent", "memUsedMb" = EXCLUDED."memUsedMb", "netRxBps" = EXCLUDED."netRxBps",
      "netTxBps" = EXCLUDED."netTxBps", "diskReadBps" = EXCLUDED."diskReadBps", "diskWriteBps" = EXCLUDED."diskWriteBps", "uptimeSeconds" = EXCLUDED."uptimeSeconds",
      "guestHostname" = EXCLUDED."guestHostname", "guestIps" = EXCLUDED."guestIps", "guestApps" = EXCLUDED."guestApps", "guestUser" = EXCLUDED."guestUser",
      "displayType" = EXCLUDED."displayType", "displayAddress" = EXCLUDED."displayAddress", "displayPort" = EXCLUDED."displayPort",
      "displayTlsPort" = EXCLUDED."displayTlsPort", "displayWebsocketPort" = EXCLUDED."displayWebsocketPort", "sampledAt" = EXCLUDED."sampledAt"
    WHERE "VmStatistics"."sampledAt" <= EXCLUDED."sampledAt"`,
  ];
}
