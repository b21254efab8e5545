import type { WeightUnit } from '../types.ts';

/** Prefers the busiest host that still fits the VM, so idle hosts stay empty and can be powered down. */
export const powerSaving: WeightUnit = {
  name: 'PowerSaving',
  description: 'Pack VMs onto as few hosts as possible.',
  score: (host, vm) => (1 - (host.committedMb + vm.memoryMb) / Math.max(1, host.memoryMb)) * 1000 - host.vmCount / 1000,
};
