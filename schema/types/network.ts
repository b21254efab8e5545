import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';

export const NetworkRef = builder.prismaNode('Network', {
  authScopes: (row) => ({ visible: (v) => canSee.network(v, row) }),
  id: { field: 'id' },
  nullable: true,
  description: 'A logical network of a data center, attached to clusters, carried by host NICs, used by VM NICs.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    dataCenter: t.relation('dataCenter'),
    vlanId: t.exposeInt('vlanId', { nullable: true }),
    mtu: t.exposeInt('mtu'),
    vmNetwork: t.exposeBoolean('vmNetwork', { description: 'Carries VM traffic (a bridge on each host).' }),
    clusters: t.relation('clusters'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
