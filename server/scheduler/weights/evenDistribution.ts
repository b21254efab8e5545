import type { WeightUnit } from '../types.ts';

/** Prefers the host with the smallest share of its memory committed (after this VM), then the fewest VMs. */
export const evenDistribution: WeightUnit = {
  name: 'EvenDistribution',
  description: 'Spread VMs so that hosts carry a similar load.',
  score: (host, vm) => ((host.committedMb + vm.memoryMb) / Math.max(1, host.memoryMb)) * 1000 + host.vmCount / 1000,
};
