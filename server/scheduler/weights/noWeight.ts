import type { WeightUnit } from '../types.ts';

/** No preference among the hosts that pass the filters: the first by name (oVirt's policy "none"). */
export const noWeight: WeightUnit = {
  name: 'None',
  description: 'No weighting: the first host, by name, that passes the filters.',
  score: () => 0,
};
