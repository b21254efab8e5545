import type { FilterUnit } from '../types.ts';

export const network: FilterUnit = {
  name: 'Network',
  description: "Every network the VM's NICs use is attached to one of the host's NICs.",
  filter: (host, vm, policy) => {
    const missing = vm.networkIds.filter((id) => !host.networkIds.includes(id));
    if (!missing.length) return null;
    const names = missing.map((id) => policy.networkNames.get(id) ?? id).join(', ');
    return { code: 'HOST_LACKS_NETWORK', message: `host ${host.name} lacks network${missing.length > 1 ? 's' : ''} ${names}.` };
  },
};
