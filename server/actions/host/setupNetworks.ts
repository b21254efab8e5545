// SetupNetworks (oVirt's HostSetupNetworksCommand): a host's whole network layout in one go:
// bonds of its NICs, and the logical networks each NIC or bond carries (VLAN and MTU from the
// network). Checked first; then the host's agent builds it and reports what it has, and that
// report is what the engine stores: the action succeeds only when it matches what was asked.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { ActionFailedError } from '../../errors.ts';
import { BondMode } from '../../../protocol/messages.ts';
import { checkLayout, describeLayout, layoutDifferences, layoutFor } from '../../network/layoutChecks.ts';
import { BOND_MODES, hostFacts, reportedLayout } from '../../network/hostNetworks.ts';
import { succeeded } from '../../agents/hostBroker.ts';

const TITLE = 'set up Host networks';

/** A Linux interface name, as the kernel takes one (dev_valid_name): no '/', ':' or blanks, not '.' or '..'. */
const interfaceName = z
  .string()
  .min(1)
  .max(15, 'must be at most 15 characters')
  .regex(/^[^\s/:]+$/, "may not contain '/', ':' or blanks")
  .refine((name) => name !== '.' && name !== '..', "may not be '.' or '..'");
/** oVirt's bond names: 'bond' and letters, digits or '_'. */
const bondName = interfaceName.regex(/^bond\w+$/, "must be 'bond' followed by letters, digits or '_' (bond0)");

const params = z.object({
  hostId: nodeId('Host', 'id').describe('The host.'),
  bonds: z
    .array(
      z
        .object({
          name: bondName.describe('bond0, bond1, …'),
          mode: BondMode.meta({ graphql: 'BondMode', enumValues: BOND_MODES }),
          nics: z.array(interfaceName).describe("Names of two or more of the host's NICs."),
        })
        .meta({ graphql: 'HostBondInput' }),
    )
    .max(64)
    .describe('Every bond the host is to have; bonds left out are taken apart.'),
  attachments: z
    .array(
      z
        .object({
          networkId: nodeId('Network', 'network').describe("A network of the host's cluster; its VLAN and MTU apply."),
          nic: interfaceName.describe('Name of the NIC or bond that carries it.'),
        })
        .meta({ graphql: 'HostNetworkAttachmentInput' }),
    )
    .max(256)
    .describe('Every network the host is to carry; networks left out are detached.'),
});

export const setupNetworks = defineAction({
  type: 'HostSetupNetworks',
  title: TITLE,
  actionGroup: 'CONFIGURE_HOST_NETWORK',
  params,
  subject: (p) => ({ type: 'HOST', id: p.hostId }),
  locks: (p) => [lockKey('Host', p.hostId)],
  objects: (p) => ({ hostId: p.hostId }),
  async validate({ tx }, p) {
    const { facts, networks, otherNames } = await hostFacts(tx, p.hostId);
    return checkLayout(facts, p, networks, otherNames);
  },
  async prepare({ tx }, p) {
    const { host, networks } = await hostFacts(tx, p.hostId);
    return { host: { id: host.id, name: host.name }, layout: layoutFor(p, networks), before: await reportedLayout(tx, p.hostId) };
  },
  /** The agent builds the layout; its answer comes after it has reported the result (a new hello). */
  async onHost(ctx, _p, { host, layout, before }) {
    await ctx.hosts.setupNetworks(host, layout);
    ctx.compensate(async () => {
      await succeeded(ctx.hosts.setupNetworks(host, before));
    });
  },
  async execute({ tx, publish }, p, { layout }) {
    const differences = layoutDifferences(layout, await reportedLayout(tx, p.hostId));
    if (differences.length)
      throw new ActionFailedError(TITLE, `the host reports another layout than the one asked: ${differences.join('; ')}`);
    const host = await tx.host.update({ where: { id: p.hostId }, data: { networkLayout: layout } });
    publish('host:changed', { id: host.id, kind: 'updated' });
    return { host, layout };
  },
  audit: ({ host, layout }) => ({
    code: 'NETWORK_SETUP_NETWORKS',
    vars: { hostName: host.name, layout: describeLayout(layout) },
    objects: { hostId: host.id, clusterId: host.clusterId },
  }),
  api: {
    mutation: 'setupNetworks',
    description:
      "Set a host's whole network layout: bonds of its NICs and the logical networks each NIC or bond carries. " +
      "The host agent applies it; the host's reported NICs, bonds and networks are what is stored.",
    payload: { field: 'host', type: 'Host' },
    result: (r) => r.host,
  },
});
