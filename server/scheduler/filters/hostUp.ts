import type { FilterUnit } from '../types.ts';

/** Maintenance has its own unit with its own message. */
const LEFT_TO_MAINTENANCE = ['MAINTENANCE', 'PREPARING_FOR_MAINTENANCE'];

export const hostUp: FilterUnit = {
  name: 'HostUp',
  description: 'Only hosts that are Up can run VMs.',
  filter: (host) =>
    host.status === 'UP' || LEFT_TO_MAINTENANCE.includes(host.status)
      ? null
      : { code: 'HOST_NOT_UP', message: `host ${host.name} is ${host.status}, not Up.` },
};
