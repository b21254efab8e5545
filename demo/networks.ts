// The demo hosts' networks, laid out through setupNetworks as an administrator would: on every
// host the management network and vm-public (VLAN 100) share eno1; the Production hosts also
// bond eno2 and eno3 (802.3ad) for the jumbo-frame storage network (VLAN 200, MTU 9000).
import type { Engine } from '../server/engine.ts';
import { SYSTEM_ACTOR } from '../server/auth/actor.ts';
import { runAction } from '../server/actions/runAction.ts';
import { setupNetworks } from '../server/actions/host/setupNetworks.ts';
import { NetworkLayout } from '../protocol/messages.ts';

/** Lays out each host whose layout is not the demo's yet (a fresh demo: only the management network). */
export async function layOutDemoNetworks(engine: Engine, hosts: { id: string; name: string; clusterId: string }[]): Promise<void> {
  for (const host of hosts) {
    const row = await engine.db.host.findUniqueOrThrow({ where: { id: host.id }, select: { networkLayout: true } });
    const stored = NetworkLayout.safeParse(row.networkLayout);
    if (stored.success && stored.data.networks.length > 1) continue;
    const networks = await engine.db.clusterNetwork.findMany({ where: { clusterId: host.clusterId }, include: { network: true } });
    const id = (name: string) => networks.find((n) => n.network.name === name)?.networkId;
    const storage = id('storage');
    const attachments = [
      { networkId: id('ovirtmgmt'), nic: 'eno1' },
      { networkId: id('vm-public'), nic: 'eno1' },
      ...(storage ? [{ networkId: storage, nic: 'bond0' }] : []),
    ].filter((a): a is { networkId: string; nic: string } => !!a.networkId);
    const bonds = storage ? [{ name: 'bond0', mode: '802.3ad', nics: ['eno2', 'eno3'] }] : [];
    try {
      await runAction(engine, SYSTEM_ACTOR, setupNetworks, { hostId: host.id, bonds, attachments });
    } catch (e) {
      console.error(`demo: could not set up the networks of ${host.name}: ${(e as Error).message}`);
    }
  }
}
