// The one list of scheduling policies: the names oVirt ships, each with the weight that
// implements its placement in Vireo. The cluster actions' input, the GraphQL enum, the scheduler
// and the balancer (server/balancer/) all read it.
import type { WeightUnit } from './types.ts';
import { evenDistribution } from './weights/evenDistribution.ts';
import { noWeight } from './weights/noWeight.ts';
import { powerSaving } from './weights/powerSaving.ts';
import { vmEvenDistribution } from './weights/vmEvenDistribution.ts';

export const POLICY_WEIGHTS = {
  none: noWeight,
  evenly_distributed: evenDistribution,
  power_saving: powerSaving,
  vm_evenly_distributed: vmEvenDistribution,
  /** New starts are refused but HA restarts (filters/clusterMaintenance.ts); placement spreads as evenly_distributed. */
  cluster_maintenance: evenDistribution,
} as const satisfies Record<string, WeightUnit>;

export type SchedulingPolicyName = keyof typeof POLICY_WEIGHTS;

export const SCHEDULING_POLICIES = Object.keys(POLICY_WEIGHTS) as [SchedulingPolicyName, ...SchedulingPolicyName[]];

/** The weight of a policy; a cluster stored with a policy Vireo does not know is scheduled evenly. */
export function policyWeight(policy: string): WeightUnit {
  return (POLICY_WEIGHTS as Record<string, WeightUnit>)[policy] ?? evenDistribution;
}
