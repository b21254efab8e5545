// One report, one transaction: read the engine's view, analyze (pure), write every state change.
// What to publish is returned and sent only after the commit; the samples are not written here
// (monitoring publishes them on arrival and writes them in batches, liveStats.ts). Every host reports every few
// seconds, so the SQL is hand-written: one statement reads, one writes (plus one for VMs found
// running unknown and one for events, when there are any); rows travel as one JSON array that
// PostgreSQL expands with jsonb_to_recordset. (Through Prisma's query builder a report cost
// ~15 ms of engine CPU and 7 statements; this costs ~3 ms.)
import type { Db } from '../db.ts';
import type { Tx } from '../db.ts';
import type { HostStatus, VmStatus } from '../../generated/prisma/enums.ts';
import type { AgentReport, DomainReport } from '../../protocol/messages.ts';
import type { VmStatistics } from '../../generated/prisma/client.ts';
import type { HostStatsEvent, VmStatsEvent } from '../pubsub.ts';
import { analyzeHostReport, COMES_UP_FROM, type HostDecision, type HostView } from './analyzeHost.ts';
import { analyzeVms, type MigrationReport, type VmUpdate, type VmView } from './analyzeVms.ts';
import { writeEvents } from './writeEvents.ts';
import { vmStatsEvent } from './liveStats.ts';
import { vmStatisticsRow } from './reportStats.ts';

/** Statuses a report may move to Up (NonOperational: when its hypervisor answers again). */
const MAY_COME_UP: string[] = [...COMES_UP_FROM, 'NON_OPERATIONAL'];

export interface ReportOutcome {
  hostChanged: boolean;
  vmsChanged: string[];
  vmsCreated: string[];
  auditIds: string[];
  hostStats: HostStatsEvent;
  vmStats: VmStatsEvent[];
  /** The sampled VMs' latest statistics (for monitoring's memory; not written by the transaction). */
  vmRows: VmStatistics[];
  migrations: MigrationReport[];
  /** VMs of other hosts this host claimed to run, refused. */
  refusedClaims: string[];
  /** The VMs the engine's view of the host held (placed on it, or named by the report). */
  viewVms: string[];
  /** Nothing written but the host's last-seen time, nothing to publish but samples: the same report again, on the same view, would change nothing either. */
  changedNothing: boolean;
}

export async function applyReport(
  db: Db,
  hostId: string,
  report: AgentReport,
  now: Date,
  refusedBefore?: ReadonlySet<string>,
): Promise<ReportOutcome> {
  return db.$transaction(
    async (tx) => {
      const view = await readView(
        tx,
        hostId,
        report.domains.map((d) => d.id),
        now,
      );
      // A VM changed after this report was received (a run or migration committed while the report
      // waited for its turn) is left to the next report: this one may describe it as it was before.
      const stale = new Set(view.known.filter((v) => v.changedAfter).map((v) => v.id));
      const host = view.host;
      const known = view.known.filter((v) => !stale.has(v.id));
      if (stale.size) report = { ...report, domains: report.domains.filter((d) => !stale.has(d.id)) };
      const hostDecision = analyzeHostReport(host, report.hypervisorError);
      // Without its hypervisor the agent cannot say what runs: the VMs stay as they were.
      const vms: ReturnType<typeof analyzeVms> = report.hypervisorError
        ? { updates: [], discovered: [], sampled: [], events: [], migrations: [], refusedClaims: [] }
        : analyzeVms(host, known, report.domains, refusedBefore);

      const refused = new Set(vms.refusedClaims);
      const runningVms = report.domains.filter((d) => d.state !== 'DOWN' && !refused.has(d.id)).length;
      const at = now.toISOString();
      const h = report.host;
      const vmRows = vms.sampled.map((d) => vmStatisticsRow(d, now));
      if (vms.discovered.length) await insertExternalVms(tx, vms.discovered, host, at); // before their statistics
      await writeState(tx, { hostId, at, hostDecision, updates: vms.updates });
      const auditIds = await writeEvents(tx, [...hostDecision.events, ...vms.events], now);
      return {
        hostChanged: hostDecision.status !== null,
        vmsChanged: vms.updates.map((u) => u.id),
        vmsCreated: vms.discovered.map((d) => d.id),
        auditIds,
        hostStats: { ...h, hostId, clusterId: host.clusterId, runningVms, sampledAt: at },
        vmRows,
        vmStats: vmRows.map((r) => vmStatsEvent(r, hostId, host.clusterId)),
        migrations: vms.migrations,
        refusedClaims: vms.refusedClaims,
        viewVms: view.known.map((v) => v.id),
        changedNothing:
          hostDecision.status === null &&
          !stale.size &&
          !vms.updates.length &&
          !vms.discovered.length &&
          !hostDecision.events.length &&
          !vms.events.length &&
          !vms.migrations.length &&
          sameSet(vms.refusedClaims, refusedBefore),
      };
    },
    // Monitoring's queue already bounds these transactions to the pool's size; a report waits its
    // turn there, and here only for a connection the batched writes and queries hold a moment.
    { maxWait: 10_000 },
  );
}

function sameSet(a: string[], b: ReadonlySet<string> = new Set()) {
  return a.length === b.size && a.every((x) => b.has(x));
}

/**
 * The host, and the VMs the database places on it or the report names, in one round trip; when
 * the host may come Up, also the required networks of its cluster it lacks.
 */
async function readView(
  tx: Tx,
  hostId: string,
  reported: string[],
  receivedAt: Date,
): Promise<{ host: HostView; known: (VmView & { changedAfter: boolean })[] }> {
  const rows = await tx.$queryRaw<(HostView & { known: (VmView & { changedAfter: boolean })[] })[]>`
    SELECT h.id, h.name, h."clusterId", h.status::text AS status, h."statusReason",
      CASE WHEN h.status::text = ANY(${MAY_COME_UP}::text[]) THEN
        (SELECT coalesce(array_agg(n.name ORDER BY n.name), '{}') FROM "ClusterNetwork" cn JOIN "Network" n ON n.id = cn."networkId"
          WHERE cn."clusterId" = h."clusterId" AND cn.required
            AND NOT EXISTS (SELECT 1 FROM "HostNetworkAttachment" a WHERE a."hostId" = h.id AND a."networkId" = cn."networkId"))
      END AS "missingNetworks",
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', v.id, 'name', v.name, 'status', v.status, 'hostId', v."hostId", 'clusterId', v."clusterId",
           'external', v.external, 'migratingToHostId', v."migratingToHostId", 'changedAfter', v."updatedAt" > ${receivedAt})), '[]'::jsonb)
         FROM "Vm" v WHERE v."hostId" = h.id OR v.id = ANY(${reported}::uuid[])) AS known
    FROM "Host" h WHERE h.id = ${hostId}::uuid`;
  const row = rows[0];
  if (!row) throw new Error(`host ${hostId} does not exist`);
  const { known, ...host } = row;
  return { host, known };
}

function insertExternalVms(tx: Tx, found: DomainReport[], host: HostView, at: string) {
  const rows = found.map((d) => ({ id: d.id, name: d.name, status: d.state satisfies VmStatus, memoryMb: d.memoryMb, cpuCores: d.vcpus }));
  return tx.$executeRaw`INSERT INTO "Vm" (id, name, "clusterId", "hostId", status, external, "memoryMb", "guaranteedMemoryMb", "cpuCores", description, "createdAt", "updatedAt")
    SELECT r.id, r.name, ${host.clusterId}::uuid, ${host.id}::uuid, r.status::"VmStatus", true, r."memoryMb", r."memoryMb", r."cpuCores", ${`Discovered on host ${host.name}`}, ${at}::timestamptz, ${at}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id uuid, name text, status text, "memoryMb" int, "cpuCores" int)`;
}

interface StateWrite {
  hostId: string;
  at: string;
  hostDecision: HostDecision;
  updates: VmUpdate[];
}

/**
 * The host's last-seen time (and status) and the VMs whose status or host changed: one statement.
 * Their statistics are not written here: monitoring keeps them in memory and writes them in batches.
 */
function writeState(tx: Tx, w: StateWrite) {
  const status: HostStatus | null = w.hostDecision.status;
  return tx.$executeRaw`WITH
    host AS (UPDATE "Host" SET "lastSeenAt" = ${w.at}::timestamptz, "updatedAt" = ${w.at}::timestamptz,
        status = coalesce(${status}::"HostStatus", status),
        "statusReason" = CASE WHEN ${status}::text IS NULL THEN "statusReason" ELSE ${w.hostDecision.statusReason ?? ''} END,
        "nonOperationalReason" = CASE WHEN ${status}::text IS NULL THEN "nonOperationalReason" ELSE ${w.hostDecision.nonOperationalReason ?? null}::"NonOperationalReason" END
      WHERE id = ${w.hostId}::uuid)
    UPDATE "Vm" v SET status = u.status::"VmStatus", "hostId" = u."hostId", "updatedAt" = ${w.at}::timestamptz,
        -- a migration's destination that now runs the VM: the migration is over
        "migratingToHostId" = CASE WHEN v."migratingToHostId" = u."hostId" THEN NULL ELSE v."migratingToHostId" END
      FROM jsonb_to_recordset(${JSON.stringify(w.updates)}::jsonb) AS u(id uuid, status text, "hostId" uuid) WHERE v.id = u.id`;
}
