import { schedulableMemoryMb, type FilterUnit } from '../types.ts';

export const memory: FilterUnit = {
  name: 'Memory',
  description: "The host's memory, times the cluster's over-commit, minus what its VMs (running and being started) take, fits the VM.",
  filter: (host, vm, policy) => {
    const free = schedulableMemoryMb(host, policy);
    return free >= vm.memoryMb
      ? null
      : {
          code: 'HOST_LACKS_MEMORY',
          message: `host ${host.name} has ${Math.max(0, free)} MiB schedulable memory; the VM needs ${vm.memoryMb} MiB.`,
        };
  },
};
