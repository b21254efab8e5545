// One report, one transaction: read the engine's view, analyze (pure), write every change
// in batched statements. What to publish is returned and sent only after the commit.
import type { Db } from '../db.ts';
import type { Tx } from '../actions/defineAction.ts';
import type { VmStatus } from '../../generated/prisma/enums.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { AgentReport, DomainReport } from '../../protocol/messages.ts';
import type { HostStatsEvent, VmStatsEvent } from '../pubsub.ts';
import { analyzeHostReport, type HostView } from './analyzeHost.ts';
import { analyzeVms, type MigrationReport, type VmUpdate } from './analyzeVms.ts';
import { writeEvents } from './writeEvents.ts';

export interface ReportOutcome {
  hostChanged: boolean;
  vmsChanged: string[];
  vmsCreated: string[];
  auditIds: string[];
  hostStats: HostStatsEvent;
  vmStats: VmStatsEvent[];
  migrations: MigrationReport[];
}

export async function applyReport(db: Db, hostId: string, report: AgentReport, now: Date): Promise<ReportOutcome> {
  return db.$transaction(async (tx) => {
    const host: HostView = await tx.host.findUniqueOrThrow({ where: { id: hostId }, select: { id: true, name: true, clusterId: true, status: true } });
    const known = await tx.vm.findMany({
      where: { OR: [{ hostId }, { id: { in: report.domains.map((d) => d.id) } }] },
      select: { id: true, name: true, status: true, hostId: true },
    });
    const hostDecision = analyzeHostReport(host);
    const vms = analyzeVms(host, known, report.domains);

    const runningVms = report.domains.filter((d) => d.state !== 'DOWN').length;
    const hostStats = { ...report.host, runningVms, sampledAt: now };
    await tx.host.update({ where: { id: hostId }, data: { lastSeenAt: now, ...(hostDecision.status ? { status: hostDecision.status, statusReason: '' } : {}) } });
    await tx.hostStatistics.upsert({ where: { hostId }, create: { hostId, ...hostStats }, update: hostStats });
    if (vms.discovered.length) await tx.vm.createMany({ data: vms.discovered.map((d) => externalVm(d, host)) });
    await applyVmUpdates(tx, vms.updates);
    const vmStats = vms.sampled.map((d) => statisticsRow(d, now));
    if (vmStats.length) {
      // Replacing the rows in two statements beats an upsert per VM.
      await tx.vmStatistics.deleteMany({ where: { vmId: { in: vmStats.map((s) => s.vmId) } } });
      await tx.vmStatistics.createMany({ data: vmStats });
    }
    const auditIds = await writeEvents(tx, [...hostDecision.events, ...vms.events], now);
    return {
      hostChanged: hostDecision.status !== null,
      vmsChanged: vms.updates.map((u) => u.id),
      vmsCreated: vms.discovered.map((d) => d.id),
      auditIds,
      hostStats: { ...report.host, hostId, clusterId: host.clusterId, runningVms, sampledAt: now.toISOString() },
      vmStats: vmStats.map((s) => ({ ...s, hostId, clusterId: host.clusterId, sampledAt: now.toISOString() })),
      migrations: vms.migrations,
    };
  });
}

/** One updateMany per distinct (status, host) instead of one update per VM. */
async function applyVmUpdates(tx: Tx, updates: VmUpdate[]) {
  const groups = new Map<string, { status: VmStatus; hostId: string | null; ids: string[] }>();
  for (const u of updates) {
    const key = `${u.status}|${u.hostId}`;
    const g = groups.get(key) ?? { status: u.status, hostId: u.hostId, ids: [] };
    g.ids.push(u.id);
    groups.set(key, g);
  }
  for (const g of groups.values())
    await tx.vm.updateMany({ where: { id: { in: g.ids } }, data: { status: g.status, hostId: g.hostId } });
}

function externalVm(d: DomainReport, host: HostView): Prisma.VmCreateManyInput {
  return {
    id: d.id, name: d.name, clusterId: host.clusterId, hostId: host.id, status: d.state, external: true,
    memoryMb: d.memoryMb, guaranteedMemoryMb: d.memoryMb, cpuCores: d.vcpus,
    description: `Discovered on host ${host.name}`,
  };
}

function statisticsRow(d: DomainReport, now: Date) {
  return {
    vmId: d.id,
    ...d.sample,
    memUsedMb: d.guest?.memUsedMb ?? 0,
    guestHostname: d.guest?.hostname ?? '',
    guestIps: d.guest?.ips ?? [],
    guestApps: d.guest?.applications ?? [],
    guestUser: d.guest?.loggedInUser ?? '',
    displayType: d.display?.type ?? null,
    displayAddress: d.display?.address ?? '',
    displayPort: d.display?.port ?? null,
    displayTlsPort: d.display?.tlsPort ?? null,
    sampledAt: now,
  };
}
