// PURE: how the libvirt driver builds a host network layout with iproute2, as VDSM does: a VM
// network is a Linux bridge named after the network with its NIC, bond or VLAN device as port; a
// non-VM network sits on the device itself; a VLAN network is a device NIC.VLANID; a bond is
// `type bond` with its NICs enslaved; MTU from the network on every device that carries it.
// From the host's links (as `ip -j -d addr show` reads them), the layout asked for and the one the
// agent built last: the checks, the `ip` commands each with its undo, and the layout that exists.
import type { BondMode, NetworkLayout } from '../../../protocol/messages.ts';

/** A network device of the host, as iproute2 reports it. */
export interface Link {
  name: string;
  /** bridge, bond, vlan, veth…; null for a physical NIC. */
  kind: string | null;
  master: string | null;
  mtu: number;
  up: boolean;
  /** Addresses other than link-local ones, as address/prefix. */
  addresses: string[];
  /** A VLAN device's parent and id. */
  link?: string;
  vlanId?: number;
}

/** A device the layout needs, in the state it needs it. */
export interface Device {
  name: string;
  kind: 'nic' | 'bond' | 'vlan' | 'bridge';
  master: string | null;
  mtu: number;
  mode?: BondMode;
  link?: string;
  vlanId?: number;
}

/** One `ip` command (its arguments) and the commands that take it back (none: deleting what was created covers it). */
export interface Step {
  run: string[];
  undo: string[][];
}

/** Linux's limit on an interface name (IFNAMSIZ - 1). */
export const MAX_INTERFACE_NAME = 15;
const DEFAULT_MTU = 1500;

/** The device a network's traffic enters: its VLAN device (NIC.VLANID), else its NIC or bond. */
export function topDevice(net: NetworkLayout['networks'][number]): string {
  return net.vlanId === null ? net.nic : `${net.nic}.${net.vlanId}`;
}

/**
 * The devices a layout needs, lower ones first (NICs, bonds, VLAN devices, bridges): NICs that
 * carry something or are in a bond, and what is built on them.
 */
export function devicesOf(layout: NetworkLayout): Device[] {
  const mtuOn = (device: string) => Math.max(...layout.networks.filter((n) => n.nic === device).map((n) => n.mtu), 0) || DEFAULT_MTU;
  const bridgeOf = (top: string) => layout.networks.find((n) => n.vmNetwork && topDevice(n) === top)?.name ?? null;
  const nics = new Map<string, Device>();
  const bonds: Device[] = [];
  for (const b of layout.bonds) {
    const mtu = mtuOn(b.name);
    bonds.push({ name: b.name, kind: 'bond', mode: b.mode, master: bridgeOf(b.name), mtu });
    for (const nic of b.nics) nics.set(nic, { name: nic, kind: 'nic', master: b.name, mtu });
  }
  const vlans: Device[] = [];
  const bridges: Device[] = [];
  const bondNames = new Set(layout.bonds.map((b) => b.name));
  for (const n of layout.networks) {
    if (!bondNames.has(n.nic) && !nics.has(n.nic))
      nics.set(n.nic, { name: n.nic, kind: 'nic', master: bridgeOf(n.nic), mtu: mtuOn(n.nic) });
    const top = topDevice(n);
    if (n.vlanId !== null) vlans.push({ name: top, kind: 'vlan', link: n.nic, vlanId: n.vlanId, master: bridgeOf(top), mtu: n.mtu });
    if (n.vmNetwork) bridges.push({ name: n.name, kind: 'bridge', master: null, mtu: n.mtu });
  }
  return [...nics.values(), ...bonds, ...vlans, ...bridges];
}

function sameDevice(want: Device, have: Link): boolean {
  if (want.kind === 'nic') return true;
  if (have.kind !== want.kind) return false;
  return want.kind !== 'vlan' || (have.link === want.link && have.vlanId === want.vlanId);
}

function addCommand(d: Device): string[] {
  if (d.kind === 'bridge') return ['link', 'add', d.name, 'type', 'bridge'];
  if (d.kind === 'bond') return ['link', 'add', d.name, 'type', 'bond', 'mode', d.mode!];
  return ['link', 'add', 'link', d.link!, 'name', d.name, 'type', 'vlan', 'id', String(d.vlanId)];
}

/** The device as it exists, to create it again on undo. */
function deviceOf(l: Link, mode?: BondMode): Device | null {
  if (l.kind === 'bridge') return { name: l.name, kind: 'bridge', master: l.master, mtu: l.mtu };
  if (l.kind === 'vlan' && l.link && l.vlanId !== undefined)
    return { name: l.name, kind: 'vlan', link: l.link, vlanId: l.vlanId, master: l.master, mtu: l.mtu };
  if (l.kind === 'bond' && mode) return { name: l.name, kind: 'bond', mode, master: l.master, mtu: l.mtu };
  return null;
}

/**
 * Refuses, in plain words, a layout this host cannot take without harm: a NIC the agent does not
 * manage or that does not exist, a name Linux cannot have, a device of that name that is something
 * else, and a NIC holding an IP address that would be enslaved (the host would lose that address)
 * or get another MTU.
 */
export function checkLayout(
  layout: NetworkLayout,
  links: ReadonlyMap<string, Link>,
  managedNics: readonly string[],
  previous: NetworkLayout,
): void {
  const managed = new Set(managedNics);
  const mine = new Set(devicesOf(previous).map((d) => d.name));
  for (const d of devicesOf(layout)) {
    if (d.name.length > MAX_INTERFACE_NAME)
      throw new Error(`${d.name} is longer than the ${MAX_INTERFACE_NAME} characters Linux allows in an interface name`);
    const have = links.get(d.name);
    if (d.kind === 'nic') {
      if (!have) throw new Error(`no NIC ${d.name} on this host`);
      if (!managed.has(d.name))
        throw new Error(`${d.name} is not a NIC this agent manages (its NICs: ${managedNics.join(', ') || 'none'})`);
      if (have.kind && ['bridge', 'bond', 'vlan'].includes(have.kind)) throw new Error(`${d.name} is a ${have.kind}, not a NIC`);
      if (d.master && have.master !== d.master && have.addresses.length)
        throw new Error(
          `NIC ${d.name} holds the IP address ${have.addresses.join(', ')}; enslaving it to ${d.master} would take that address off the host, so it is refused (move the address first)`,
        );
      if (have.addresses.length && have.mtu !== d.mtu)
        throw new Error(
          `NIC ${d.name} holds the IP address ${have.addresses.join(', ')}; Vireo does not change its MTU (${have.mtu} to ${d.mtu})`,
        );
      continue;
    }
    if (managed.has(d.name)) throw new Error(`${d.name} is a NIC; a ${d.kind} cannot have its name`);
    if (have && !sameDevice(d, have) && !mine.has(d.name))
      throw new Error(
        `a ${have.kind ?? 'NIC'} named ${d.name} exists on this host and is not Vireo's; the ${d.kind} ${d.name} cannot be made`,
      );
    if (have?.addresses.length && !mine.has(d.name))
      throw new Error(`${d.name} exists on this host with the IP address ${have.addresses.join(', ')}; Vireo does not take it over`);
  }
}

/**
 * The `ip` commands that turn the host from what it has (`links`, where the agent last built
 * `previous`) into `layout`, in order, each with its undo: devices of the previous layout that are
 * no longer wanted go (ports released first), then devices are created lowest first, ports
 * enslaved, MTUs set, and everything brought up. Devices that exist as wanted are left alone.
 */
export function planNetworks(layout: NetworkLayout, previous: NetworkLayout, links: ReadonlyMap<string, Link>): Step[] {
  const want = devicesOf(layout);
  const wanted = new Map(want.map((d) => [d.name, d]));
  const before = devicesOf(previous);
  const steps: Step[] = [];
  const master = new Map([...links.values()].map((l) => [l.name, l.master]));
  const exists = new Set(links.keys());

  // Go: previous devices not wanted (or wanted as something else), top first.
  const removed = new Set<string>();
  for (const d of [...before].reverse()) {
    const have = links.get(d.name);
    if (d.kind === 'nic' || !have) continue;
    const w = wanted.get(d.name);
    if (w && sameDevice(w, have) && (w.kind !== 'bond' || w.mode === d.mode)) continue;
    const again = deviceOf(have, d.mode);
    for (const port of [...links.values()].filter((l) => l.master === d.name)) {
      steps.push({ run: ['link', 'set', 'dev', port.name, 'nomaster'], undo: [['link', 'set', 'dev', port.name, 'master', d.name]] });
      master.set(port.name, null);
    }
    steps.push({
      run: ['link', 'del', d.name],
      undo: again
        ? [
            addCommand(again),
            ['link', 'set', 'dev', d.name, 'mtu', String(have.mtu)],
            ...(have.up ? [['link', 'set', 'dev', d.name, 'up']] : []),
          ]
        : [],
    });
    removed.add(d.name);
    exists.delete(d.name);
  }
  // Ports that move elsewhere leave their master first.
  for (const d of want) {
    const current = master.get(d.name) ?? null;
    if (current && current !== d.master && exists.has(d.name)) {
      steps.push({ run: ['link', 'set', 'dev', d.name, 'nomaster'], undo: [['link', 'set', 'dev', d.name, 'master', current]] });
      master.set(d.name, null);
    }
  }
  // NICs of the previous layout that carry nothing now: out of their master, back to the default MTU
  // (unless the NIC holds an IP address: the host's own traffic keeps the MTU it has).
  for (const d of before) {
    if (d.kind !== 'nic' || wanted.has(d.name)) continue;
    const have = links.get(d.name);
    if (!have) continue;
    const current = master.get(d.name) ?? null;
    if (current) {
      steps.push({ run: ['link', 'set', 'dev', d.name, 'nomaster'], undo: [['link', 'set', 'dev', d.name, 'master', current]] });
      master.set(d.name, null);
    }
    if (have.mtu !== DEFAULT_MTU && !have.addresses.length)
      steps.push({
        run: ['link', 'set', 'dev', d.name, 'mtu', String(DEFAULT_MTU)],
        undo: [['link', 'set', 'dev', d.name, 'mtu', String(have.mtu)]],
      });
  }
  // Create: bridges first (a bridge without ports harms nothing), then bonds and VLAN devices.
  const created = new Set<string>();
  for (const d of [...want].sort((a, b) => Number(b.kind === 'bridge') - Number(a.kind === 'bridge'))) {
    if (d.kind === 'nic' || exists.has(d.name)) continue;
    steps.push({ run: addCommand(d), undo: [['link', 'del', d.name]] });
    created.add(d.name);
  }
  const fresh = (name: string) => created.has(name) || removed.has(name);
  // Enslave: a bond's NICs must be down to join it, and take its MTU.
  const downed = new Set<string>();
  for (const d of want) {
    if (!d.master || master.get(d.name) === d.master) continue;
    const have = fresh(d.name) ? undefined : links.get(d.name);
    const intoBond = wanted.get(d.master)?.kind === 'bond';
    if (intoBond && have?.up) {
      steps.push({ run: ['link', 'set', 'dev', d.name, 'down'], undo: [['link', 'set', 'dev', d.name, 'up']] });
      downed.add(d.name);
    }
    const undo = have
      ? [['link', 'set', 'dev', d.name, 'nomaster'], ...(intoBond ? [['link', 'set', 'dev', d.name, 'mtu', String(have.mtu)]] : [])]
      : [];
    steps.push({ run: ['link', 'set', 'dev', d.name, 'master', d.master], undo });
  }
  // MTU, lowest first (a VLAN device or bridge cannot exceed what is under it); a bond sets its NICs'.
  for (const d of want) {
    if (d.master && wanted.get(d.master)?.kind === 'bond') continue;
    const have = fresh(d.name) ? undefined : links.get(d.name);
    if (have?.mtu === d.mtu) continue;
    steps.push({
      run: ['link', 'set', 'dev', d.name, 'mtu', String(d.mtu)],
      undo: have ? [['link', 'set', 'dev', d.name, 'mtu', String(have.mtu)]] : [],
    });
  }
  for (const d of want) {
    const have = fresh(d.name) ? undefined : links.get(d.name);
    if (have?.up && !downed.has(d.name)) continue;
    steps.push({ run: ['link', 'set', 'dev', d.name, 'up'], undo: have && !have.up ? [['link', 'set', 'dev', d.name, 'down']] : [] });
  }
  return steps;
}

/**
 * The part of the layout the agent built that exists on the host now: a bond that is a bond with
 * its NICs; a network whose device (and VLAN device, and bridge with it as port) is there, with the
 * MTU the host really has. A bridge that vanished is not reported.
 */
export function verifyLayout(built: NetworkLayout, links: ReadonlyMap<string, Link>): NetworkLayout {
  const bonds = built.bonds.filter((b) => links.get(b.name)?.kind === 'bond' && b.nics.every((n) => links.get(n)?.master === b.name));
  const bondNames = new Set(bonds.map((b) => b.name));
  const networks = built.networks.flatMap((n) => {
    const base = links.get(n.nic);
    if (!base || (built.bonds.some((b) => b.name === n.nic) && !bondNames.has(n.nic))) return [];
    const top = links.get(topDevice(n));
    if (!top || (n.vlanId !== null && (top.kind !== 'vlan' || top.vlanId !== n.vlanId || top.link !== n.nic))) return [];
    if (!n.vmNetwork) return [{ ...n, mtu: top.mtu }];
    const bridge = links.get(n.name);
    if (bridge?.kind !== 'bridge' || top.master !== n.name) return [];
    return [{ ...n, mtu: bridge.mtu }];
  });
  return { bonds, networks };
}

interface IpLink {
  ifname: string;
  flags?: string[];
  mtu: number;
  master?: string;
  link?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number } };
  addr_info?: { local: string; prefixlen: number; scope?: string }[];
}

/** The links of `ip -j -d addr show`, by name (a VLAN device with its parent and id). */
export function parseLinks(json: string): Map<string, Link> {
  const out = new Map<string, Link>();
  for (const l of JSON.parse(json) as IpLink[]) {
    const kind = l.linkinfo?.info_kind ?? null;
    out.set(l.ifname, {
      name: l.ifname,
      kind,
      master: l.master ?? null,
      mtu: l.mtu,
      up: l.flags?.includes('UP') ?? false,
      addresses: (l.addr_info ?? []).filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`),
      ...(kind === 'vlan' && l.link ? { link: l.link, vlanId: l.linkinfo?.info_data?.id } : {}),
    });
  }
  return out;
}
