// PURE: whether a host can take a requested network layout (oVirt's HostSetupNetworksValidator),
// and the layout as the agent gets it. No I/O; unit-tested. Reason codes are oVirt's.
import type { HostStatus } from '../../generated/prisma/enums.ts';
import type { BondMode, NetworkLayout } from '../../protocol/messages.ts';
import type { Reason } from '../errors.ts';

export interface BondRequest {
  name: string;
  mode: BondMode;
  nics: string[];
}
export interface AttachmentRequest {
  networkId: string;
  nic: string;
}
export interface LayoutRequest {
  bonds: BondRequest[];
  attachments: AttachmentRequest[];
}

export interface LogicalNetwork {
  id: string;
  name: string;
  vlanId: number | null;
  mtu: number;
  vmNetwork: boolean;
}

export interface HostFacts {
  name: string;
  status: HostStatus;
  /** The host's physical NICs, as it reported them. */
  nics: string[];
  /** The networks the host carries now, and on which NIC or bond. */
  attached: { networkId: string; nic: string }[];
  /** The NIC or bond the agent's connection goes through, as it reported it. */
  connectedVia: string | null;
  /** The cluster's management network, when it has one. */
  managementNetworkId: string | null;
  /** Running VMs on this host, by network they have a NIC on. */
  vmsByNetwork: Map<string, string[]>;
}

/** Statuses in which a host takes a new layout (oVirt: Up, Maintenance, NonOperational). */
export const SETUP_STATUSES: readonly HostStatus[] = ['UP', 'MAINTENANCE', 'NON_OPERATIONAL'];

const BOND_NAME = /^bond\d{1,4}$/;

/**
 * Every reason the host cannot take the layout; the cluster's networks by id, and the names of
 * the data center's other networks for messages.
 */
export function checkLayout(
  host: HostFacts,
  request: LayoutRequest,
  clusterNetworks: Map<string, LogicalNetwork>,
  otherNames: Map<string, string>,
): Reason[] {
  const reasons: Reason[] = [];
  const refuse = (code: string, message: string) => reasons.push({ code, message });
  if (!SETUP_STATUSES.includes(host.status))
    refuse(
      'HOST_STATUS_ILLEGAL',
      `Host ${host.name} is ${host.status}; its networks can be set up only when it is Up, NonOperational or in maintenance.`,
    );

  const physical = new Set(host.nics);
  const bondNames = new Set<string>();
  const slaveOf = new Map<string, string>();
  for (const bond of request.bonds) {
    if (!BOND_NAME.test(bond.name)) refuse('NETWORK_BOND_NAME_BAD_FORMAT', `Bond name ${bond.name} must be formatted as bond<number>.`);
    if (bondNames.has(bond.name) || physical.has(bond.name))
      refuse('NETWORK_INTERFACES_ALREADY_SPECIFIED', `${bond.name} is specified more than once.`);
    bondNames.add(bond.name);
    const nics = [...new Set(bond.nics)];
    if (nics.length < 2)
      refuse(
        'NETWORK_BONDS_INVALID_SLAVE_COUNT',
        `Bond ${bond.name} has ${nics.length} NIC${nics.length === 1 ? '' : 's'}; a bond needs at least two.`,
      );
    for (const nic of nics) {
      if (!physical.has(nic)) refuse('NETWORK_INTERFACES_DONT_EXIST', `Host ${host.name} has no NIC ${nic}.`);
      const other = slaveOf.get(nic);
      if (other)
        refuse('NETWORK_INTERFACE_REFERENCED_AS_A_SLAVE_MULTIPLE_TIMES', `NIC ${nic} is in two bonds (${other} and ${bond.name}).`);
      else slaveOf.set(nic, bond.name);
    }
  }

  const nameOf = (id: string) => clusterNetworks.get(id)?.name ?? otherNames.get(id) ?? id;
  const seen = new Set<string>();
  const byDevice = new Map<string, LogicalNetwork[]>();
  for (const a of request.attachments) {
    const net = clusterNetworks.get(a.networkId);
    if (!net) {
      refuse('NETWORKS_DONT_EXIST_IN_CLUSTER', `Network ${nameOf(a.networkId)} is not attached to the host's cluster.`);
      continue;
    }
    if (seen.has(net.id)) {
      refuse('NETWORKS_ALREADY_ATTACHED_TO_IFACES', `Network ${net.name} is attached to more than one NIC.`);
      continue;
    }
    seen.add(net.id);
    if (!physical.has(a.nic) && !bondNames.has(a.nic)) {
      refuse('NETWORK_INTERFACES_DONT_EXIST', `Host ${host.name} has no NIC or bond ${a.nic}.`);
      continue;
    }
    const bond = slaveOf.get(a.nic);
    if (bond) {
      refuse(
        'NETWORK_INTERFACE_ATTACHED_TO_NETWORK_CANNOT_BE_SLAVE',
        `NIC ${a.nic} is in bond ${bond}; attach network ${net.name} to the bond.`,
      );
      continue;
    }
    byDevice.set(a.nic, [...(byDevice.get(a.nic) ?? []), net]);
  }

  for (const [device, nets] of byDevice) {
    const untagged = nets.filter((n) => n.vlanId === null);
    if (untagged.length > 1)
      refuse(
        'NETWORK_INTERFACES_NOT_EXCLUSIVELY_USED_BY_UNTAGGED_NETWORK',
        `${device} would carry ${untagged.length} untagged networks (${untagged.map((n) => n.name).join(', ')}); at most one network per NIC may be untagged.`,
      );
    const vlans = new Map<number, string>();
    for (const n of nets) {
      if (n.vlanId === null) continue;
      const other = vlans.get(n.vlanId);
      if (other)
        refuse(
          'NETWORK_VLAN_ID_USED_TWICE_ON_INTERFACE',
          `${device} would carry VLAN ${n.vlanId} twice (networks ${other} and ${n.name}).`,
        );
      else vlans.set(n.vlanId, n.name);
    }
    // The untagged network is the device itself: its MTU is the device's, which its VLANs cannot exceed or undercut.
    const base = untagged[0];
    if (base && nets.some((n) => n.mtu !== base.mtu))
      refuse(
        'NETWORK_MTU_DIFFERENCES',
        `The networks on ${device} do not have the same MTU: ${nets.map((n) => `${n.name}(${n.mtu})`).join(', ')}.`,
      );
  }

  const requested = new Map(request.attachments.map((a) => [a.networkId, a.nic]));
  const mgmt = host.managementNetworkId;
  const mgmtNow = mgmt ? host.attached.find((a) => a.networkId === mgmt) : undefined;
  if (mgmt && mgmtNow) {
    const to = requested.get(mgmt);
    const via = host.connectedVia ?? mgmtNow.nic;
    const stillReached =
      to !== undefined && (to === via || request.bonds.some((b) => b.name === to && b.nics.includes(via)) || to === mgmtNow.nic);
    if (to === undefined)
      refuse(
        'NETWORK_CANNOT_REMOVE_MANAGEMENT_NETWORK',
        `The management network ${nameOf(mgmt)} carries the host agent's connection; it cannot be detached from host ${host.name}.`,
      );
    else if (!stillReached)
      refuse(
        'NETWORK_CANNOT_REMOVE_MANAGEMENT_NETWORK',
        `The management network ${nameOf(mgmt)} carries the host agent's connection over ${via}; it cannot move to ${to}.`,
      );
  }
  for (const a of host.attached) {
    const vms = host.vmsByNetwork.get(a.networkId) ?? [];
    if (!requested.has(a.networkId) && vms.length)
      refuse(
        'NETWORK_CANNOT_DETACH_NETWORK_USED_BY_VMS',
        `Network ${nameOf(a.networkId)} is used by running VM${vms.length > 1 ? 's' : ''} ${vms.join(', ')}; stop or migrate ${vms.length > 1 ? 'them' : 'it'} first.`,
      );
  }
  return reasons;
}

/** The layout the agent gets: each network with its VLAN, MTU and kind, by name. */
export function layoutFor(request: LayoutRequest, clusterNetworks: Map<string, LogicalNetwork>): NetworkLayout {
  return {
    bonds: request.bonds.map((b) => ({ name: b.name, mode: b.mode, nics: [...new Set(b.nics)] })),
    networks: request.attachments.flatMap((a) => {
      const n = clusterNetworks.get(a.networkId);
      return n ? [{ name: n.name, nic: a.nic, vlanId: n.vlanId, mtu: n.mtu, vmNetwork: n.vmNetwork }] : [];
    }),
  };
}

/** What differs between the layout asked for and the one the host reports (empty: the same). */
export function layoutDifferences(asked: NetworkLayout, reported: NetworkLayout): string[] {
  const key = (n: NetworkLayout['networks'][number]) => `${n.name} on ${n.nic}${n.vlanId === null ? '' : ` VLAN ${n.vlanId}`} MTU ${n.mtu}`;
  const bondKey = (b: NetworkLayout['bonds'][number]) => `${b.name} (${b.mode}: ${[...b.nics].sort().join('+')})`;
  const diff = (what: string, a: string[], r: string[]) => [
    ...a.filter((x) => !r.includes(x)).map((x) => `${what} ${x} is missing`),
    ...r.filter((x) => !a.includes(x)).map((x) => `${what} ${x} was not asked for`),
  ];
  return [
    ...diff('bond', asked.bonds.map(bondKey), reported.bonds.map(bondKey)),
    ...diff('network', asked.networks.map(key), reported.networks.map(key)),
  ];
}

/** A short description for events: "ovirtmgmt on eno1, vm-public on eno1 VLAN 100, bond0 (802.3ad: eno2+eno3)". */
export function describeLayout(layout: NetworkLayout): string {
  const parts = [
    ...layout.bonds.map((b) => `${b.name} (${b.mode}: ${b.nics.join('+')})`),
    ...layout.networks.map((n) => `${n.name} on ${n.nic}${n.vlanId === null ? '' : ` VLAN ${n.vlanId}`}`),
  ];
  return parts.join(', ') || 'no networks';
}
