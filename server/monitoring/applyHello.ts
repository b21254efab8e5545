// An agent (re)connected: record its host's capabilities, NICs, bonds and networks as the host
// reports them; decide whether the host complies with its cluster's required networks; and, for a
// host that came back without any network (nothing persisted its configuration), the layout to
// send back: the last one setupNetworks asked for, or on a host never set up, the management
// network on the interface the agent talks over (oVirt's host deploy). A host that refused the layout
// sent back says why in its next hello: that becomes an event, and nothing is sent again.
import type { Db, Tx } from '../db.ts';
import { EMPTY_NETWORK_LAYOUT, NetworkLayout, type AgentHello } from '../../protocol/messages.ts';
import { analyzeCapabilities, analyzeNetworkCompliance, type HostDecision } from './analyzeHost.ts';
import { writeEvents } from './writeEvents.ts';
import { clusterNetworks } from '../network/hostNetworks.ts';
import { MANAGEMENT_NETWORK } from '../network/managementNetwork.ts';
import { describeLayout } from '../network/layoutChecks.ts';
import type { MonitoringEvent } from './events.ts';

export interface HelloOutcome {
  hostChanged: boolean;
  auditIds: string[];
  /** The layout the agent is to apply and report again; null when it has what it should. */
  resend: NetworkLayout | null;
}

export async function applyHello(db: Db, hostId: string, hello: AgentHello, now: Date): Promise<HelloOutcome> {
  return db.$transaction(async (tx) => {
    const caps = hello.capabilities;
    const host = await tx.host.findUniqueOrThrow({ where: { id: hostId } });
    const nics = await tx.hostNic.findMany({
      where: { hostId },
      select: { name: true, macAddress: true, speedMbps: true, mtu: true, bondMode: true, bondName: true },
    });
    const c = analyzeCapabilities(nics, caps, hello.agentVersion);
    if (c.nicsToRemove.length) await tx.hostNic.deleteMany({ where: { hostId, name: { in: c.nicsToRemove } } });
    if (c.nicsToCreate.length) await tx.hostNic.createMany({ data: c.nicsToCreate.map((n) => ({ ...n, hostId })) });
    for (const n of c.nicsToUpdate) await tx.hostNic.update({ where: { hostId_name: { hostId, name: n.name } }, data: n });

    const networks = await clusterNetworks(tx, host.clusterId);
    await storeAttachments(tx, hostId, host.clusterId, caps.network);

    const stored = host.networkLayout === null ? null : NetworkLayout.parse(host.networkLayout);
    let resend: NetworkLayout | null = null;
    const events: MonitoringEvent[] = [];
    const objects = { hostId, clusterId: host.clusterId };
    if (hello.networkSetupError) {
      // The host refused the layout sent back at its previous hello: say so, and judge it as it is.
      const refused = stored ?? EMPTY_NETWORK_LAYOUT;
      events.push({
        code: 'VDS_NETWORKS_SETUP_FAILED',
        vars: { hostName: host.name, layout: describeLayout(refused), reason: hello.networkSetupError },
        objects,
      });
    } else if (!caps.network.networks.length && !caps.network.bonds.length) {
      if (stored && (stored.networks.length || stored.bonds.length)) {
        resend = stored;
        events.push({ code: 'VDS_NETWORKS_RESENT', vars: { hostName: host.name, layout: describeLayout(stored) }, objects });
      } else if (!stored) {
        const mgmt = [...networks.values()].find((n) => n.name === MANAGEMENT_NETWORK);
        const nic = caps.connectedVia ?? caps.nics[0]?.name;
        if (mgmt && nic)
          resend = { bonds: [], networks: [{ name: mgmt.name, nic, vlanId: mgmt.vlanId, mtu: mgmt.mtu, vmNetwork: mgmt.vmNetwork }] };
      }
    }

    let decision: HostDecision = { status: null, events: [] };
    if (resend) {
      // The host is about to get its networks; whether it complies is judged on its next hello.
      if (!stored) await tx.host.update({ where: { id: hostId }, data: { networkLayout: resend } });
    } else {
      const attached = new Set(caps.network.networks.map((n) => n.name));
      const missing = [...networks.values()]
        .filter((n) => n.required && !attached.has(n.name))
        .map((n) => n.name)
        .sort();
      decision = analyzeNetworkCompliance(host, missing);
    }
    await tx.host.update({
      where: { id: hostId },
      data: {
        ...c.host,
        capabilities: caps,
        lastSeenAt: now,
        // It says hello: it is on, however it was powered on.
        poweredOff: false,
        ...(decision.status
          ? {
              status: decision.status,
              statusReason: decision.statusReason ?? '',
              nonOperationalReason: decision.nonOperationalReason ?? null,
            }
          : {}),
      },
    });
    const auditIds = await writeEvents(tx, [...events, ...decision.events], now);
    return { hostChanged: decision.status !== null, auditIds, resend };
  });
}

/** The host's attachments become the networks it reports (those of its data center; others are not Vireo's). */
async function storeAttachments(tx: Tx, hostId: string, clusterId: string, layout: NetworkLayout) {
  await tx.hostNetworkAttachment.deleteMany({ where: { hostId } });
  if (!layout.networks.length) return;
  const cluster = await tx.cluster.findUniqueOrThrow({ where: { id: clusterId }, select: { dataCenterId: true } });
  const known = await tx.network.findMany({
    where: { dataCenterId: cluster.dataCenterId, name: { in: layout.networks.map((n) => n.name) } },
    select: { id: true, name: true },
  });
  const devices = await tx.hostNic.findMany({ where: { hostId }, select: { id: true, name: true } });
  const networkId = new Map(known.map((n) => [n.name, n.id]));
  const nicId = new Map(devices.map((d) => [d.name, d.id]));
  const rows = layout.networks.flatMap((n) => {
    const net = networkId.get(n.name);
    const nic = nicId.get(n.nic);
    return net && nic ? [{ hostId, networkId: net, hostNicId: nic, vlanId: n.vlanId, mtu: n.mtu }] : [];
  });
  if (rows.length) await tx.hostNetworkAttachment.createMany({ data: rows });
}
