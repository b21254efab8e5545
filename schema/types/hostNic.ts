// A network interface of a host as its agent reports it (a NIC or a bond), and the networks on it.
import { builder } from '../builder.ts';
import { BondMode } from './enums.ts';

builder.prismaObject('HostNic', {
  description: 'A network interface of a host: a physical NIC, or a bond of NICs (bondMode set).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    macAddress: t.exposeString('macAddress'),
    speedMbps: t.exposeInt('speedMbps'),
    mtu: t.exposeInt('mtu'),
    bondMode: t.expose('bondMode', { type: BondMode, nullable: true, description: 'Set on a bond.' }),
    bondName: t.exposeString('bondName', { nullable: true, description: 'The bond this NIC is in.' }),
    networkAttachments: t.relation('attachments', {
      description: 'Networks this NIC or bond carries.',
      query: { orderBy: { network: { name: 'asc' } } },
    }),
  }),
});
