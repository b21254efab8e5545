import type { FilterUnit } from '../types.ts';

export const notInMaintenance: FilterUnit = {
  name: 'Maintenance',
  description: 'Hosts in maintenance, or preparing for it, take no VMs.',
  filter: (host) =>
    host.status === 'MAINTENANCE' || host.status === 'PREPARING_FOR_MAINTENANCE'
      ? { code: 'HOST_IN_MAINTENANCE', message: `host ${host.name} is in maintenance.` }
      : null,
};
