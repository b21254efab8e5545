import type { FilterUnit } from '../types.ts';

export const cpu: FilterUnit = {
  name: 'CPU',
  description: 'The host has at least as many cores as the VM has virtual CPUs.',
  filter: (host, vm) =>
    host.cpuCores >= vm.vcpus
      ? null
      : { code: 'HOST_LACKS_CPU_CORES', message: `host ${host.name} has ${host.cpuCores} cores; the VM has ${vm.vcpus} virtual CPUs.` },
};
