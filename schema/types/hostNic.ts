// A physical NIC of a host, as its agent reports it.
import { builder } from '../builder.ts';

builder.prismaObject('HostNic', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    macAddress: t.exposeString('macAddress'),
    speedMbps: t.exposeInt('speedMbps'),
    network: t.relation('network', { nullable: true }),
  }),
});
