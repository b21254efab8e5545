// Hosts, VMs and policies for the units' tests.
import type { ClusterPolicy, HostCandidate, VmDemand } from './types.ts';

export const host = (over: Partial<HostCandidate> = {}): HostCandidate => ({
  id: 'h1',
  name: 'host1',
  status: 'UP',
  memoryMb: 16384,
  committedMb: 0,
  cpuCores: 8,
  vmCount: 0,
  networkIds: [],
  ...over,
});
export const vm = (over: Partial<VmDemand> = {}): VmDemand => ({
  id: 'v1',
  name: 'web01',
  memoryMb: 4096,
  vcpus: 2,
  networkIds: [],
  highlyAvailable: false,
  running: false,
  affinity: [],
  ...over,
});
export const policy = (over: Partial<ClusterPolicy> = {}): ClusterPolicy => ({
  memoryOvercommitPercent: 100,
  schedulingPolicy: 'evenly_distributed',
  networkNames: new Map([['n1', 'vmnet']]),
  ...over,
});
