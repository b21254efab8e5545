import type { WeightUnit } from '../types.ts';
import { brokenRules } from '../affinity/brokenRules.ts';

/** Far above any policy's score: a host that keeps the soft rules wins over a better-balanced one that breaks them. */
export const SOFT_AFFINITY_PENALTY = 1_000_000;

/** Added to every policy's weight (oVirt's affinity weight units, with their high factor). */
export const softAffinity: WeightUnit = {
  name: 'Affinity',
  description: "Prefer hosts that keep the soft rules of the VM's affinity groups; each rule broken counts against a host.",
  score: (host, vm) => SOFT_AFFINITY_PENALTY * brokenRules(host, vm).filter((r) => !r.enforcing).length,
};
