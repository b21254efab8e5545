// PURE: what a hello or a report means for the host row. No I/O; unit-tested.
import type { HostStatus } from '../../generated/prisma/enums.ts';
import type { HostCapabilities } from '../../protocol/messages.ts';
import type { MonitoringEvent } from './events.ts';

export interface HostView {
  id: string;
  name: string;
  clusterId: string;
  status: HostStatus;
  statusReason?: string;
}

/** Statuses a live report moves to Up; the others (Maintenance, NonOperational…) are set by people or actions. */
const COMES_UP_FROM: readonly HostStatus[] = ['INSTALLING', 'UNASSIGNED', 'CONNECTING', 'INITIALIZING', 'NON_RESPONSIVE', 'REBOOT'];

export interface HostDecision {
  status: HostStatus | null;
  /** With a new status: why (shown with the host). */
  statusReason?: string;
  events: MonitoringEvent[];
}

/** The start of statusReason when the agent's hypervisor made the host NonOperational (and so its return makes it Up). */
export const HYPERVISOR_UNREACHABLE = 'The hypervisor is unreachable: ';

/** A report arrived: the host is alive; with `hypervisorError`, it cannot run VMs (oVirt's NonOperational). */
export function analyzeHostReport(host: HostView, hypervisorError?: string): HostDecision {
  const objects = { hostId: host.id, clusterId: host.clusterId };
  const byHypervisor = host.status === 'NON_OPERATIONAL' && (host.statusReason ?? '').startsWith(HYPERVISOR_UNREACHABLE);
  if (hypervisorError) {
    const statusReason = HYPERVISOR_UNREACHABLE + hypervisorError;
    const changes = COMES_UP_FROM.includes(host.status) || host.status === 'UP' || (byHypervisor && host.statusReason !== statusReason);
    if (!changes) return { status: null, events: [] };
    return { status: 'NON_OPERATIONAL', statusReason, events: [{ code: 'VDS_HYPERVISOR_UNREACHABLE', vars: { hostName: host.name, reason: hypervisorError }, objects }] };
  }
  if (!COMES_UP_FROM.includes(host.status) && !byHypervisor) return { status: null, events: [] };
  return { status: 'UP', events: [{ code: 'VDS_DETECTED', vars: { hostName: host.name }, objects }] };
}

export interface NicView { name: string; macAddress: string; speedMbps: number }

export interface CapabilityChanges {
  host: { cpuModel: string; cpuSockets: number; cpuCores: number; cpuThreads: number; memoryMb: number; osVersion: string; agentVersion: string };
  nicsToCreate: NicView[];
  nicsToUpdate: NicView[];
  nicsToRemove: string[];
}

/** The host row and NIC list that match what the agent registered. */
export function analyzeCapabilities(current: NicView[], caps: HostCapabilities, agentVersion: string): CapabilityChanges {
  const byName = new Map(current.map((n) => [n.name, n]));
  const reported = new Set(caps.nics.map((n) => n.name));
  return {
    host: {
      cpuModel: caps.cpu.model,
      cpuSockets: caps.cpu.sockets,
      cpuCores: caps.cpu.coresPerSocket,
      cpuThreads: caps.cpu.threadsPerCore,
      memoryMb: caps.memoryMb,
      osVersion: caps.osVersion,
      agentVersion,
    },
    nicsToCreate: caps.nics.filter((n) => !byName.has(n.name)),
    nicsToUpdate: caps.nics.filter((n) => {
      const old = byName.get(n.name);
      return old !== undefined && (old.macAddress !== n.macAddress || old.speedMbps !== n.speedMbps);
    }),
    nicsToRemove: current.filter((n) => !reported.has(n.name)).map((n) => n.name),
  };
}
