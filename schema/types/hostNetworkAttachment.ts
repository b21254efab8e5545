// A logical network on a host's NIC or bond, as the host reports it.
import { builder } from '../builder.ts';

builder.prismaObject('HostNetworkAttachment', {
  description: 'A logical network on a host NIC or bond, untagged or on its VLAN.',
  fields: (t) => ({
    id: t.exposeID('id'),
    network: t.relation('network'),
    nic: t.relation('hostNic', { description: 'The NIC or bond that carries it.' }),
    vlanId: t.exposeInt('vlanId', { nullable: true }),
    mtu: t.exposeInt('mtu'),
  }),
});
