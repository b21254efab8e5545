// What the balancer sees of a cluster and what it decides: pure data, so the plan is a pure
// function that unit tests can feed by hand.
import type { ClusterPolicy, HostCandidate, VmDemand } from '../scheduler/types.ts';

export interface HostLoad extends HostCandidate {
  /** Hardware threads: a VM's share of the host's CPU is its CPU use × its vCPUs / these. */
  threads: number;
  /** CPU use (%) over the cluster's window; null when the samples do not cover it. */
  cpu: { mean: number; min: number; max: number } | null;
  /** A migration from or to it started within the quiet period: its CPU window does not show it yet, so it gives no VMs away. */
  settling: boolean;
  /** Power saving: since when it has been Up without VMs, as the balancer last saw it (null: not so). */
  emptySince: Date | null;
  /** It has a fence agent, so power saving can power it off (and on again). */
  powerManagement: boolean;
  /** Powering it off would leave the cluster unable to keep its HA reservation. */
  neededForHaReservation: boolean;
}

export interface BalancedVm extends VmDemand {
  hostId: string;
  /** The guest's CPU use (%) over the window (0 without samples). */
  cpuPercent: number;
  /** Migrated lately: left alone until then (no flapping). */
  quietUntil: Date | null;
  policy: ClusterPolicy;
}

export interface Thresholds {
  highUtilizationPercent: number;
  lowUtilizationPercent: number;
  cpuOverloadMinutes: number;
  maxVmCountDifference: number;
}

export interface BalanceInput {
  clusterName: string;
  schedulingPolicy: string;
  thresholds: Thresholds;
  hosts: HostLoad[];
  vms: BalancedVm[];
  /** Migrations one cycle may start. */
  maxMigrations: number;
  /** The cluster keeps room for the HA VMs of any one host: no move may break that. */
  haReservation: boolean;
  memoryOvercommitPercent: number;
  /** Power saving's settings (the cluster's) and the engine's clock now. */
  powerSaving: { spareHosts: number; idleMinutes: number; now: Date };
}

export type MoveKind = 'AFFINITY' | 'CPU_OVERLOAD' | 'VM_COUNT' | 'POWER_SAVING';
export type HostLoadState = 'OVER_USED' | 'UNDER_USED' | 'NORMAL' | 'UNKNOWN';

export interface BalanceMove {
  vmId: string;
  vmName: string;
  sourceId: string;
  sourceName: string;
  destinationId: string;
  destinationName: string;
  kind: MoveKind;
  /** Why, in a sentence a user reads (the event says the same). */
  reason: string;
}

/** A host power saving puts into maintenance and powers off. */
export interface PlannedPowerOff {
  hostId: string;
  hostName: string;
  /** Why, in a sentence a user reads (the event says the same). */
  reason: string;
}

export interface BalancePlan {
  policy: string;
  moves: BalanceMove[];
  /** power_saving: empty hosts the cycle puts into maintenance and powers off. */
  powerOffs: PlannedPowerOff[];
  hosts: { id: string; name: string; cpuPercent: number | null; vmCount: number; load: HostLoadState }[];
  /** What the balancer saw and why it does nothing more (over-used hosts with nowhere to go, VMs left alone…). */
  notes: string[];
}
