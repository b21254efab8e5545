// The one list of scheduling policies: the names oVirt ships, each with the weight that
// implements it in Vireo, or null when Vireo does not implement it. The cluster actions' input,
// the GraphQL enum and the scheduler all read it; a policy without a weight is refused.
import type { Reason } from '../errors.ts';
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
  /** Would refuse new starts but HA restarts while the cluster is serviced: not implemented. */
  cluster_maintenance: null,
} as const satisfies Record<string, WeightUnit | null>;

export type SchedulingPolicyName = keyof typeof POLICY_WEIGHTS;

export const SCHEDULING_POLICIES = Object.keys(POLICY_WEIGHTS) as [SchedulingPolicyName, ...SchedulingPolicyName[]];

/** The weight of a policy; a cluster stored with a policy Vireo does not implement is scheduled evenly. */
export function policyWeight(policy: string): WeightUnit {
  return (POLICY_WEIGHTS as Record<string, WeightUnit | null>)[policy] ?? evenDistribution;
}

/** A reason to refuse a policy Vireo does not implement (null when it is implemented or not given). */
export function unsupportedPolicy(policy: SchedulingPolicyName | undefined): Reason | null {
  if (!policy || POLICY_WEIGHTS[policy]) return null;
  const supported = SCHEDULING_POLICIES.filter((p) => POLICY_WEIGHTS[p]).join(', ');
  return { code: 'SCHEDULING_POLICY_NOT_SUPPORTED', message: `Scheduling policy ${policy} is not implemented; use one of ${supported}.` };
}
