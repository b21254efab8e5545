import { builder } from '../builder.ts';
import { NicInterface } from './enums.ts';

builder.prismaNode('VmNic', {
  id: { field: 'id' },
  nullable: true,
  description: 'A virtual NIC of a VM.',
  fields: (t) => ({
    vm: t.relation('vm'),
    name: t.exposeString('name'),
    macAddress: t.exposeString('macAddress'),
    network: t.relation('network', { nullable: true }),
    interface: t.expose('interface', { type: NicInterface }),
    linked: t.exposeBoolean('linked'),
    plugged: t.exposeBoolean('plugged', { description: 'Plugged into the VM (on its host while it runs), or defined only.' }),
  }),
});
