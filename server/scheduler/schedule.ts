// PURE: filters → weights → the best host, with every refused host's reason (oVirt's
// SchedulingManager.schedule without the I/O). The caller supplies the snapshot.
import type { ClusterPolicy, FilterUnit, HostCandidate, SchedulingResult, VmDemand } from './types.ts';
import { hostUp } from './filters/hostUp.ts';
import { notInMaintenance } from './filters/maintenance.ts';
import { memory } from './filters/memory.ts';
import { cpu } from './filters/cpu.ts';
import { network } from './filters/network.ts';
import { hardAffinity } from './filters/affinity.ts';
import { clusterMaintenance } from './filters/clusterMaintenance.ts';
import { softAffinity } from './weights/affinity.ts';
import { policyWeight } from './policies.ts';

export const FILTERS: readonly FilterUnit[] = [clusterMaintenance, hostUp, notInMaintenance, hardAffinity, memory, cpu, network];

/** The first filter's reason to refuse the host, or null when it passes them all. */
export function refusal(host: HostCandidate, vm: VmDemand, policy: ClusterPolicy): { unit: string; code: string; message: string } | null {
  for (const unit of FILTERS) {
    const reason = unit.filter(host, vm, policy);
    if (reason) return { unit: unit.name, ...reason };
  }
  return null;
}

/**
 * @param hosts the cluster's hosts (with pending placements counted in)
 * @param vm what the VM needs
 * @param policy the cluster's over-commit and scheduling policy
 */
export function schedule(hosts: HostCandidate[], vm: VmDemand, policy: ClusterPolicy): SchedulingResult {
  const rejections: SchedulingResult['rejections'] = [];
  const passed: HostCandidate[] = [];
  for (const host of hosts) {
    // One reason per host, the first unit's, as oVirt reports it.
    const refused = refusal(host, vm, policy);
    if (refused) rejections.push({ hostId: host.id, hostName: host.name, ...refused });
    else passed.push(host);
  }
  const weight = policyWeight(policy.schedulingPolicy);
  let best: HostCandidate | null = null;
  let bestScore = Infinity;
  for (const host of passed) {
    const score = weight.score(host, vm, policy) + softAffinity.score(host, vm, policy);
    if (score < bestScore || (score === bestScore && best && host.name < best.name)) {
      best = host;
      bestScore = score;
    }
  }
  return { hostId: best?.id ?? null, rejections };
}
