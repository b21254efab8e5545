import { builder } from '../builder.ts';
import { NicInterface } from './enums.ts';

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
