// What the scheduler's units see: a snapshot of the cluster's hosts and the VM to place.
// Pure data, so every unit is a pure function that unit tests can feed by hand.
import type { HostStatus } from '../../generated/prisma/enums.ts';
import type { Reason } from '../errors.ts';

export interface HostCandidate {
  id: string;
  name: string;
  status: HostStatus;
  /** Physical memory the agent registered. */
  memoryMb: number;
  /** Memory of the VMs the host runs or is starting, pending placements included. */
  committedMb: number;
  /** Physical cores (sockets × cores per socket). */
  cpuCores: number;
  /** VMs on the host, pending placements included. */
  vmCount: number;
  /** Logical networks attached to the host's NICs. */
  networkIds: string[];
}

export interface VmDemand {
  id: string;
  name: string;
  memoryMb: number;
  vcpus: number;
  /** Networks the VM's NICs are plugged into. */
  networkIds: string[];
  /** Restarted by the engine when it goes down with its host (cluster maintenance still starts it). */
  highlyAvailable: boolean;
  /** It runs already: the placement is a migration's destination. */
  running: boolean;
  /** The rules of the affinity groups the VM belongs to. */
  affinity: VmAffinity[];
}

/** Another VM of an affinity group, where it runs or is being placed. */
export interface AffinityPeer {
  vmId: string;
  vmName: string;
  hostId: string;
  hostName: string;
}

/** One affinity group's rules as they bind one VM. */
export interface VmAffinity {
  group: string;
  /** VM-to-VM: together (positive) or apart; the group's other VMs that run, and where. */
  vms: { positive: boolean; enforcing: boolean; peers: AffinityPeer[] } | null;
  /** VM-to-host: on the group's hosts (positive) or not on them. */
  hosts: { positive: boolean; enforcing: boolean; hostIds: string[] } | null;
}

export interface ClusterPolicy {
  /** oVirt's memory over-commit: 100 = none, 150 = hosts take 1.5× their memory. */
  memoryOvercommitPercent: number;
  /** One of server/scheduler/policies.ts (evenly_distributed by default). */
  schedulingPolicy: string;
  /** Network names by id, for messages. */
  networkNames: Map<string, string>;
}

/** One filter unit (oVirt PolicyUnitType.FILTER): a host passes, or is refused with a reason. */
export interface FilterUnit {
  name: string;
  description: string;
  filter(host: HostCandidate, vm: VmDemand, policy: ClusterPolicy): Reason | null;
}

/** One weight unit: a score per host that passed the filters; the lowest total wins. */
export interface WeightUnit {
  name: string;
  description: string;
  score(host: HostCandidate, vm: VmDemand, policy: ClusterPolicy): number;
}

/** Why one host was filtered out (oVirt's PerHostMessages). */
export interface HostRejection {
  hostId: string;
  hostName: string;
  unit: string;
  code: string;
  message: string;
}

export interface SchedulingResult {
  hostId: string | null;
  rejections: HostRejection[];
}

/** Memory a host may still promise to VMs under the cluster's over-commit. */
export function schedulableMemoryMb(host: HostCandidate, policy: ClusterPolicy): number {
  return Math.floor((host.memoryMb * policy.memoryOvercommitPercent) / 100) - host.committedMb;
}
