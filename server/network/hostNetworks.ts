// Reads what setupNetworks and monitoring need about a host's networks from the database.
import type { Tx } from '../db.ts';
import { MANAGEMENT_NETWORK } from './managementNetwork.ts';
import type { NetworkLayout } from '../../protocol/messages.ts';
import { HostCapabilities } from '../../protocol/messages.ts';
import { found } from '../validators/reasons.ts';
import type { HostFacts, LogicalNetwork } from './layoutChecks.ts';

/** The bond modes as stored (and named in the API) → as the agent protocol names them. */
export const BOND_MODES = { ACTIVE_BACKUP: 'active-backup', LACP: '802.3ad' } as const;

/** The networks of a cluster, by id. */
export async function clusterNetworks(tx: Tx, clusterId: string): Promise<Map<string, LogicalNetwork & { required: boolean }>> {
  const rows = await tx.clusterNetwork.findMany({ where: { clusterId }, include: { network: true } });
  return new Map(
    rows.map((r) => [
      r.networkId,
      {
        id: r.networkId,
        name: r.network.name,
        vlanId: r.network.vlanId,
        mtu: r.network.mtu,
        vmNetwork: r.network.vmNetwork,
        required: r.required,
      },
    ]),
  );
}

/** The host as the layout checks see it, with its cluster's networks. */
export async function hostFacts(tx: Tx, hostId: string) {
  const host = found(
    await tx.host.findUnique({
      where: { id: hostId },
      include: {
        cluster: true,
        nics: { where: { bondMode: null }, select: { name: true } },
        networkAttachments: { select: { networkId: true, hostNic: { select: { name: true } } } },
        vms: {
          where: { status: { notIn: ['DOWN', 'SUSPENDED'] } },
          select: { name: true, nics: { where: { plugged: true, networkId: { not: null } }, select: { networkId: true } } },
        },
      },
    }),
    'Host',
    hostId,
  );
  const networks = await clusterNetworks(tx, host.clusterId);
  const others = await tx.network.findMany({ where: { dataCenterId: host.cluster.dataCenterId }, select: { id: true, name: true } });
  const vmsByNetwork = new Map<string, string[]>();
  for (const vm of host.vms)
    for (const nic of vm.nics) vmsByNetwork.set(nic.networkId!, [...(vmsByNetwork.get(nic.networkId!) ?? []), vm.name]);
  const caps = HostCapabilities.safeParse(host.capabilities);
  const facts: HostFacts = {
    name: host.name,
    status: host.status,
    nics: host.nics.map((n) => n.name),
    attached: host.networkAttachments.map((a) => ({ networkId: a.networkId, nic: a.hostNic.name })),
    connectedVia: caps.success ? (caps.data.connectedVia ?? null) : null,
    managementNetworkId: [...networks.values()].find((n) => n.name === MANAGEMENT_NETWORK)?.id ?? null,
    vmsByNetwork,
  };
  return { host, facts, networks, otherNames: new Map(others.map((o) => [o.id, o.name])) };
}

/** The layout the host last reported, as the database holds it. */
export async function reportedLayout(tx: Tx, hostId: string): Promise<NetworkLayout> {
  const nics = await tx.hostNic.findMany({ where: { hostId }, orderBy: { name: 'asc' } });
  const attachments = await tx.hostNetworkAttachment.findMany({
    where: { hostId },
    include: { network: true, hostNic: true },
    orderBy: { network: { name: 'asc' } },
  });
  return {
    bonds: nics
      .filter((n) => n.bondMode)
      .map((b) => ({ name: b.name, mode: BOND_MODES[b.bondMode!], nics: nics.filter((n) => n.bondName === b.name).map((n) => n.name) })),
    networks: attachments.map((a) => ({
      name: a.network.name,
      nic: a.hostNic.name,
      vlanId: a.vlanId,
      mtu: a.mtu,
      vmNetwork: a.network.vmNetwork,
    })),
  };
}
