// setupNetworks: a host's bonds and network attachments in one go, with its canSetupNetworks dry run.
import { builder } from '../schema/builder.ts';
import { actionField } from '../schema/actionField.ts';
import { localId } from '../schema/ids.ts';
import { HostRef } from '../schema/types/host.ts';
import { BondMode } from '../schema/types/enums.ts';
import { setupNetworks } from '../server/actions/host/setupNetworks.ts';

const PROTOCOL_BOND_MODE = { ACTIVE_BACKUP: 'active-backup', LACP: '802.3ad' } as const;

const BondInput = builder.inputType('HostBondInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'bond0, bond1, …' }),
    mode: t.field({ type: BondMode, required: true }),
    nics: t.stringList({ required: true, description: 'Names of two or more of the host\'s NICs.' }),
  }),
});
const AttachmentInput = builder.inputType('HostNetworkAttachmentInput', {
  fields: (t) => ({
    network: t.id({ required: true, description: 'A network of the host\'s cluster; its VLAN and MTU apply.' }),
    nic: t.string({ required: true, description: 'Name of the NIC or bond that carries it.' }),
  }),
});
const SetupInput = builder.inputType('SetupNetworksInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The host.' }),
    bonds: t.field({ type: [BondInput], required: true, description: 'Every bond the host is to have; bonds left out are taken apart.' }),
    attachments: t.field({ type: [AttachmentInput], required: true, description: 'Every network the host is to carry; networks left out are detached.' }),
  }),
});

actionField('setupNetworks', {
  action: setupNetworks, input: SetupInput, type: HostRef, dataField: 'host',
  description: "Set a host's whole network layout: bonds of its NICs and the logical networks each NIC or bond carries. "
    + 'The host agent applies it; the host\'s reported NICs, bonds and networks are what is stored.',
  params: (i) => ({
    hostId: localId(String(i.id), 'Host', 'id'),
    bonds: i.bonds.map((b) => ({ name: b.name, mode: PROTOCOL_BOND_MODE[b.mode], nics: b.nics })),
    attachments: i.attachments.map((a, n) => ({ networkId: localId(String(a.network), 'Network', `attachments.${n}.network`), nic: a.nic })),
  }),
  resolve: (r) => r.host,
});
