import type { WeightUnit } from '../types.ts';

/** Prefers the host running the fewest VMs, whatever their size (oVirt's VM evenly distributed policy). */
export const vmEvenDistribution: WeightUnit = {
  name: 'VmEvenDistribution',
  description: 'Spread VMs so that hosts run a similar number of them.',
  score: (host) => host.vmCount,
};
