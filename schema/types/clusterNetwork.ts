import { builder } from '../builder.ts';

builder.prismaObject('ClusterNetwork', {
  description: 'A logical network as attached to a cluster.',
  fields: (t) => ({
    network: t.relation('network'),
    cluster: t.relation('cluster'),
    required: t.exposeBoolean('required', { description: 'Every host of the cluster must have it, or the host is NonOperational.' }),
    display: t.exposeBoolean('display'),
    migration: t.exposeBoolean('migration'),
  }),
});
