import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { NicInterface } from './enums.ts';

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

builder.prismaObject('VmNic', {
  description: 'A virtual NIC of a VM.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    macAddress: t.exposeString('macAddress'),
    network: t.relation('network', { nullable: true }),
    interface: t.expose('interface', { type: NicInterface }),
    linked: t.exposeBoolean('linked'),
    plugged: t.exposeBoolean('plugged'),
  }),
});
