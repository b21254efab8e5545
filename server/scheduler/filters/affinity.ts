import type { FilterUnit } from '../types.ts';
import { brokenRules } from '../affinity/brokenRules.ts';

export const hardAffinity: FilterUnit = {
  name: 'Affinity',
  description:
    "The host keeps the hard (enforcing) rules of the VM's affinity groups: VMs together or apart, on or not on the group's hosts.",
  filter: (host, vm) => {
    const hard = brokenRules(host, vm).find((r) => r.enforcing);
    return hard ? { code: hard.code, message: hard.message } : null;
  },
};
