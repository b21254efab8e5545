// PURE: what a hello or a report means for the host row. No I/O; unit-tested.
import type { BondMode as BondModeColumn, HostStatus, NonOperationalReason } from '../../generated/prisma/enums.ts';
import type { HostCapabilities } from '../../protocol/messages.ts';
import type { MonitoringEvent } from './events.ts';

export interface HostView {
  id: string;
  name: string;
  clusterId: string;
  status: HostStatus;
  statusReason?: string;
  /** The cluster's required networks the host lacks; read only when the host may come Up. */
  missingNetworks?: string[] | null;
}

/** Statuses a live report moves to Up (Down: powered off through power management, then on again); the others (Maintenance, NonOperational…) are set by people or actions. */
export const COMES_UP_FROM: readonly HostStatus[] = [
  'INSTALLING',
  'UNASSIGNED',
  'CONNECTING',
  'INITIALIZING',
  'NON_RESPONSIVE',
  'REBOOT',
  'DOWN',
];

export interface HostDecision {
  status: HostStatus | null;
  /** With a new status: why (shown with the host; empty when the status needs no reason). */
  statusReason?: string;
  nonOperationalReason?: NonOperationalReason | null;
  events: MonitoringEvent[];
}

const NO_CHANGE: HostDecision = { status: null, events: [] };

/** The start of statusReason when the agent's hypervisor made the host NonOperational (and so its return makes it Up). */
export const HYPERVISOR_UNREACHABLE = 'The hypervisor is unreachable: ';

/**
 * A report arrived: the host is alive, and Up unless it lacks a network its cluster requires; with
 * `hypervisorError`, it cannot run VMs (oVirt's NonOperational).
 */
export function analyzeHostReport(host: HostView, hypervisorError?: string): HostDecision {
  const objects = { hostId: host.id, clusterId: host.clusterId };
  const byHypervisor = host.status === 'NON_OPERATIONAL' && (host.statusReason ?? '').startsWith(HYPERVISOR_UNREACHABLE);
  if (hypervisorError) {
    const statusReason = HYPERVISOR_UNREACHABLE + hypervisorError;
    const changes = COMES_UP_FROM.includes(host.status) || host.status === 'UP' || (byHypervisor && host.statusReason !== statusReason);
    if (!changes) return NO_CHANGE;
    return {
      status: 'NON_OPERATIONAL',
      statusReason,
      nonOperationalReason: null,
      events: [{ code: 'VDS_HYPERVISOR_UNREACHABLE', vars: { hostName: host.name, reason: hypervisorError }, objects }],
    };
  }
  if (!COMES_UP_FROM.includes(host.status) && !byHypervisor) return NO_CHANGE;
  if (host.missingNetworks?.length) return nonOperational(host, host.missingNetworks);
  return up(host);
}

function up(host: HostView): HostDecision {
  return {
    status: 'UP',
    statusReason: '',
    nonOperationalReason: null,
    events: [{ code: 'VDS_DETECTED', vars: { hostName: host.name }, objects: { hostId: host.id, clusterId: host.clusterId } }],
  };
}

function nonOperational(host: HostView, missing: string[]): HostDecision {
  const networks = missing.join(', ');
  return {
    status: 'NON_OPERATIONAL',
    statusReason: `Host lacks the required network${missing.length > 1 ? 's' : ''} ${networks} of its cluster.`,
    nonOperationalReason: 'NETWORK_UNREACHABLE',
    events: [
      {
        code: 'VDS_SET_NONOPERATIONAL_NETWORK',
        vars: { hostName: host.name, networks },
        objects: { hostId: host.id, clusterId: host.clusterId },
      },
    ],
  };
}

/**
 * The host reported its networks: a live host that lacks a required network of its cluster turns
 * NonOperational (oVirt's behaviour), and one that was NonOperational for that reason only and now
 * has them all comes Up again.
 */
export function analyzeNetworkCompliance(
  host: HostView & { nonOperationalReason: NonOperationalReason | null },
  missing: string[],
): HostDecision {
  const alive = host.status === 'UP' || COMES_UP_FROM.includes(host.status);
  const forNetworks = host.status === 'NON_OPERATIONAL' && host.nonOperationalReason === 'NETWORK_UNREACHABLE';
  if (missing.length && alive) return nonOperational(host, missing);
  if (missing.length && forNetworks) return { ...nonOperational(host, missing), events: [] };
  if (!missing.length && forNetworks) return up(host);
  return NO_CHANGE;
}

export interface NicView {
  name: string;
  macAddress: string;
  speedMbps: number;
  mtu: number;
  bondMode: BondModeColumn | null;
  bondName: string | null;
}

const BOND_MODE_COLUMN = { 'active-backup': 'ACTIVE_BACKUP', '802.3ad': 'LACP' } as const;

/** The host's interfaces as rows: its NICs (each with the bond it is in) and its bonds. */
export function reportedNics(caps: HostCapabilities): NicView[] {
  const slaveOf = new Map(caps.network.bonds.flatMap((b) => b.nics.map((n) => [n, b.name] as const)));
  const nics = caps.nics.map((n) => ({
    name: n.name,
    macAddress: n.macAddress,
    speedMbps: n.speedMbps,
    mtu: n.mtu,
    bondMode: null,
    bondName: slaveOf.get(n.name) ?? null,
  }));
  const bonds = caps.network.bonds.map((b): NicView => {
    const slaves = nics.filter((n) => b.nics.includes(n.name));
    const speeds = slaves.map((n) => n.speedMbps);
    return {
      name: b.name,
      macAddress: slaves[0]?.macAddress ?? '',
      // 802.3ad adds its links up; active-backup runs on one at a time.
      speedMbps: b.mode === '802.3ad' ? speeds.reduce((a, x) => a + x, 0) : speeds.length ? Math.min(...speeds) : 0,
      mtu: Math.max(1500, ...caps.network.networks.filter((n) => n.nic === b.name).map((n) => n.mtu)),
      bondMode: BOND_MODE_COLUMN[b.mode],
      bondName: null,
    };
  });
  return [...nics, ...bonds];
}

export interface CapabilityChanges {
  host: {
    cpuModel: string;
    cpuSockets: number;
    cpuCores: number;
    cpuThreads: number;
    memoryMb: number;
    osVersion: string;
    agentVersion: string;
  };
  nicsToCreate: NicView[];
  nicsToUpdate: NicView[];
  nicsToRemove: string[];
}

/** The host row and NIC (and bond) list that match what the agent registered. */
export function analyzeCapabilities(current: NicView[], caps: HostCapabilities, agentVersion: string): CapabilityChanges {
  const byName = new Map(current.map((n) => [n.name, n]));
  const now = reportedNics(caps);
  const reported = new Set(now.map((n) => n.name));
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
    nicsToCreate: now.filter((n) => !byName.has(n.name)),
    nicsToUpdate: now.filter((n) => {
      const old = byName.get(n.name);
      return old !== undefined && (Object.keys(n) as (keyof NicView)[]).some((k) => old[k] !== n[k]);
    }),
    nicsToRemove: current.filter((n) => !reported.has(n.name)).map((n) => n.name),
  };
}
