// PURE: a report's samples as the statistics rows monitoring keeps in memory and publishes.
import type { HostStatistics, VmStatistics } from '../../generated/prisma/client.ts';
import type { AgentReport, DomainReport } from '../../protocol/messages.ts';

/** A VM's latest statistics from its domain in a report. */
export function vmStatisticsRow(d: DomainReport, now: Date): VmStatistics {
  return {
    vmId: d.id,
    cpuPercent: d.sample.cpuPercent,
    netRxBps: d.sample.netRxBps,
    netTxBps: d.sample.netTxBps,
    diskReadBps: d.sample.diskReadBps,
    diskWriteBps: d.sample.diskWriteBps,
    uptimeSeconds: d.sample.uptimeSeconds,
    memUsedMb: d.guest?.memUsedMb ?? 0,
    guestHostname: d.guest?.hostname ?? '',
    guestIps: d.guest?.ips ?? [],
    guestApps: d.guest?.applications ?? [],
    guestUser: d.guest?.loggedInUser ?? '',
    displayType: d.display?.type ?? null,
    displayAddress: d.display?.address ?? '',
    displayPort: d.display?.port ?? null,
    displayTlsPort: d.display?.tlsPort ?? null,
    displayWebsocketPort: d.display?.websocketPort ?? null,
    sampledAt: now,
  };
}

/**
 * What a report says that can go to subscribers before its transaction: the host's sample, and
 * those of the running VMs this host was found to run at its last applied report (`mine`). Other
 * VMs' samples wait for the transaction to decide whether the host may report on them.
 */
export function samplesBeforeApply(
  hostId: string,
  report: AgentReport,
  now: Date,
  mine: ReadonlySet<string>,
  refused: ReadonlySet<string>,
): { host: HostStatistics; vms: VmStatistics[] } {
  const running = report.domains.filter((d) => d.state !== 'DOWN' && !refused.has(d.id));
  const h = report.host;
  return {
    host: {
      hostId,
      cpuUserPercent: h.cpuUserPercent,
      cpuSysPercent: h.cpuSysPercent,
      cpuIdlePercent: h.cpuIdlePercent,
      cpuLoad: h.cpuLoad,
      memUsedMb: h.memUsedMb,
      memFreeMb: h.memFreeMb,
      swapUsedMb: h.swapUsedMb,
      netRxBps: h.netRxBps,
      netTxBps: h.netTxBps,
      runningVms: running.length,
      sampledAt: now,
    },
    vms: report.hypervisorError
      ? []
      : running.filter((d) => mine.has(d.id) && d.state !== 'MIGRATING_TO').map((d) => vmStatisticsRow(d, now)),
  };
}
