// The simulated host's networking: its NICs, and the bonds and networks setupNetworks made, kept
// in memory only (a host without persisted network configuration: gone when the process ends).
import type { HostCapabilities, NetworkLayout } from '../../protocol/messages.ts';
import { EMPTY_NETWORK_LAYOUT } from '../../protocol/messages.ts';

type Nic = HostCapabilities['nics'][number];

export class SimulatedNetwork {
  private layout: NetworkLayout = EMPTY_NETWORK_LAYOUT;

  /** `nics` physical NICs named eno1…, the first one holding the host's address; `managed`: those setupNetworks may use (default all). */
  constructor(
    private readonly nicList: Omit<Nic, 'mtu'>[],
    private readonly managed?: readonly string[],
  ) {}

  /** Checks the layout as a host would before touching anything, then takes it as a whole. */
  apply(layout: NetworkLayout): void {
    const physical = new Set(this.nicList.map((n) => n.name));
    const enslaved = new Set<string>();
    for (const bond of layout.bonds) {
      if (physical.has(bond.name)) throw new Error(`${bond.name} is a NIC, not a bond name`);
      if (bond.nics.length < 2) throw new Error(`bond ${bond.name} needs at least two NICs`);
      for (const nic of bond.nics) {
        if (!physical.has(nic)) throw new Error(`no NIC ${nic} on this host`);
        if (enslaved.has(nic)) throw new Error(`NIC ${nic} is in two bonds`);
        enslaved.add(nic);
      }
    }
    const used = [...layout.bonds.flatMap((b) => b.nics), ...layout.networks.map((n) => n.nic).filter((nic) => physical.has(nic))];
    for (const nic of used)
      if (this.managed && !this.managed.includes(nic))
        throw new Error(`${nic} is not a NIC this agent manages (its NICs: ${this.managed.join(', ') || 'none'})`);
    const devices = new Set([...physical, ...layout.bonds.map((b) => b.name)]);
    for (const net of layout.networks) {
      if (!devices.has(net.nic)) throw new Error(`no NIC or bond ${net.nic} on this host`);
      if (enslaved.has(net.nic)) throw new Error(`NIC ${net.nic} is in a bond; network ${net.name} goes on the bond`);
    }
    this.layout = structuredClone(layout);
  }

  /** A device's MTU: the largest of the networks it (or, for a bond's NIC, its bond) carries. */
  private mtuOf(device: string): number {
    const bond = this.layout.bonds.find((b) => b.nics.includes(device));
    const on = this.layout.networks.filter((n) => n.nic === (bond?.name ?? device));
    return Math.max(1500, ...on.map((n) => n.mtu));
  }

  nics(): Nic[] {
    return this.nicList.map((n) => ({ ...n, mtu: this.mtuOf(n.name) }));
  }

  current(): NetworkLayout {
    return structuredClone(this.layout);
  }

  /** The device that holds the host's address: its first NIC, or the bond that NIC is in. */
  connectedVia(): string {
    const first = this.nicList[0]!.name;
    return this.layout.bonds.find((b) => b.nics.includes(first))?.name ?? first;
  }
}
