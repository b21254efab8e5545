// The libvirt driver's host network planning, without root: layouts to `ip` commands, undo, checks,
// and what is reported of a built layout.
import { describe, expect, it } from 'vitest';
import type { NetworkLayout } from '../../../protocol/messages.ts';
import { EMPTY_NETWORK_LAYOUT } from '../../../protocol/messages.ts';
import { checkLayout, parseLinks, planNetworks, verifyLayout, type Link } from './hostNetworkPlan.ts';

const nic = (name: string, more: Partial<Link> = {}): Link => ({
  name,
  kind: 'veth',
  master: null,
  mtu: 1500,
  up: false,
  addresses: [],
  ...more,
});
const links = (...l: Link[]) => new Map(l.map((x) => [x.name, x]));
const host = links(nic('eth0', { kind: null, up: true, addresses: ['192.0.2.2/24'], mtu: 1400 }), nic('vir0a'), nic('vir0b'));
const mgmt = { name: 'ovirtmgmt', nic: 'vir0a', vlanId: null, mtu: 1500, vmNetwork: true };
const mgmtLayout: NetworkLayout = { bonds: [], networks: [mgmt] };
const cmds = (layout: NetworkLayout, previous: NetworkLayout, l: Map<string, Link>) =>
  planNetworks(layout, previous, l).map((s) => s.run.join(' '));

describe('planNetworks', () => {
  it('a VM network: a bridge named after it with the NIC as port, MTU set, both up', () => {
    expect(cmds(mgmtLayout, EMPTY_NETWORK_LAYOUT, host)).toEqual([
      'link add ovirtmgmt type bridge',
      'link set dev vir0a master ovirtmgmt',
      'link set dev ovirtmgmt mtu 1500',
      'link set dev vir0a up',
      'link set dev ovirtmgmt up',
    ]);
  });

  it('undo: what was created is deleted, an existing NIC leaves the bridge and goes down again', () => {
    const steps = planNetworks(mgmtLayout, EMPTY_NETWORK_LAYOUT, host);
    expect(steps.map((s) => s.undo.map((u) => u.join(' ')))).toEqual([
      ['link del ovirtmgmt'],
      ['link set dev vir0a nomaster'],
      [],
      ['link set dev vir0a down'],
      [],
    ]);
  });

  it('a non-VM network with a VLAN and a bigger MTU: a VLAN device on the NIC, no bridge', () => {
    const layout: NetworkLayout = { bonds: [], networks: [{ name: 'storage', nic: 'vir0b', vlanId: 20, mtu: 9000, vmNetwork: false }] };
    expect(cmds(layout, EMPTY_NETWORK_LAYOUT, host)).toEqual([
      'link add link vir0b name vir0b.20 type vlan id 20',
      'link set dev vir0b mtu 9000',
      'link set dev vir0b.20 mtu 9000',
      'link set dev vir0b up',
      'link set dev vir0b.20 up',
    ]);
  });

  it('a bond of two NICs carrying a VM network: NICs down into the bond, the bond into the bridge', () => {
    const up = links(nic('vir0a', { up: true, mtu: 1500 }), nic('vir0b', { up: true }));
    const layout: NetworkLayout = {
      bonds: [{ name: 'bond0', mode: '802.3ad', nics: ['vir0a', 'vir0b'] }],
      networks: [{ ...mgmt, nic: 'bond0' }],
    };
    const steps = planNetworks(layout, EMPTY_NETWORK_LAYOUT, up);
    expect(steps.map((s) => s.run.join(' '))).toEqual([
      'link add ovirtmgmt type bridge',
      'link add bond0 type bond mode 802.3ad',
      'link set dev vir0a down',
      'link set dev vir0a master bond0',
      'link set dev vir0b down',
      'link set dev vir0b master bond0',
      'link set dev bond0 master ovirtmgmt',
      'link set dev bond0 mtu 1500',
      'link set dev ovirtmgmt mtu 1500',
      'link set dev vir0a up',
      'link set dev vir0b up',
      'link set dev bond0 up',
      'link set dev ovirtmgmt up',
    ]);
    expect(steps[3]!.undo).toEqual([
      ['link', 'set', 'dev', 'vir0a', 'nomaster'],
      ['link', 'set', 'dev', 'vir0a', 'mtu', '1500'],
    ]);
  });

  it('what exists as wanted is left alone; a network taken off has its bridge deleted, with an undo that rebuilds it', () => {
    const built = links(
      nic('vir0a', { master: 'ovirtmgmt', up: true }),
      nic('vir0b', { master: 'vmnet', up: true }),
      { name: 'ovirtmgmt', kind: 'bridge', master: null, mtu: 1500, up: true, addresses: [] },
      { name: 'vmnet', kind: 'bridge', master: null, mtu: 1500, up: true, addresses: [] },
    );
    const both: NetworkLayout = { bonds: [], networks: [mgmt, { name: 'vmnet', nic: 'vir0b', vlanId: null, mtu: 1500, vmNetwork: true }] };
    expect(cmds(both, both, built)).toEqual([]);
    const steps = planNetworks(mgmtLayout, both, built);
    expect(steps.map((s) => s.run.join(' '))).toEqual(['link set dev vir0b nomaster', 'link del vmnet']);
    expect(steps[1]!.undo.map((u) => u.join(' '))).toEqual([
      'link add vmnet type bridge',
      'link set dev vmnet mtu 1500',
      'link set dev vmnet up',
    ]);
  });

  it('a NIC that carries nothing any more goes back to MTU 1500, unless it holds an IP address', () => {
    const jumbo: NetworkLayout = {
      bonds: [],
      networks: [
        { name: 'storage', nic: 'vir0b', vlanId: null, mtu: 9000, vmNetwork: false },
        { name: 'backup', nic: 'eth0', vlanId: null, mtu: 1400, vmNetwork: false },
      ],
    };
    const built = links(
      nic('eth0', { kind: null, up: true, addresses: ['192.0.2.2/24'], mtu: 1400 }),
      nic('vir0a'),
      nic('vir0b', { mtu: 9000, up: true }),
    );
    const steps = planNetworks(EMPTY_NETWORK_LAYOUT, jumbo, built);
    expect(steps.map((s) => s.run.join(' '))).toEqual(['link set dev vir0b mtu 1500']);
    expect(steps[0]!.undo).toEqual([['link', 'set', 'dev', 'vir0b', 'mtu', '9000']]);
  });

  it('a network moved to another NIC: the bridge keeps its name and changes its port', () => {
    const built = links(nic('vir0a', { master: 'ovirtmgmt', up: true }), nic('vir0b'), {
      name: 'ovirtmgmt',
      kind: 'bridge',
      master: null,
      mtu: 1500,
      up: true,
      addresses: [],
    });
    expect(cmds({ bonds: [], networks: [{ ...mgmt, nic: 'vir0b' }] }, mgmtLayout, built)).toEqual([
      'link set dev vir0a nomaster',
      'link set dev vir0b master ovirtmgmt',
      'link set dev vir0b up',
    ]);
  });
});

describe('checkLayout', () => {
  const check =
    (layout: NetworkLayout, l = host, nics = ['vir0a', 'vir0b']) =>
    () =>
      checkLayout(layout, l, nics, EMPTY_NETWORK_LAYOUT);

  it('takes a layout on the NICs it manages', () => {
    expect(check(mgmtLayout)).not.toThrow();
  });

  it('refuses a NIC it does not manage, one that does not exist, and enslaving one that holds an IP address', () => {
    expect(check({ bonds: [], networks: [{ ...mgmt, nic: 'eth0' }] })).toThrow(
      'eth0 is not a NIC this agent manages (its NICs: vir0a, vir0b)',
    );
    expect(check({ bonds: [], networks: [{ ...mgmt, nic: 'eno9' }] })).toThrow('no NIC eno9 on this host');
    expect(check({ bonds: [], networks: [{ ...mgmt, nic: 'eth0' }] }, host, ['eth0'])).toThrow(
      /NIC eth0 holds the IP address 192.0.2.2\/24; enslaving it to ovirtmgmt would take that address off the host/,
    );
    expect(check({ bonds: [], networks: [{ ...mgmt, nic: 'eth0', vmNetwork: false }] }, host, ['eth0'])).toThrow(
      'Vireo does not change its MTU (1400 to 1500)',
    );
  });

  it('refuses names over 15 characters and a device of that name that is something else', () => {
    expect(
      check({ bonds: [], networks: [{ ...mgmt, nic: 'vir0a', vlanId: 4000, name: 'n' }] }, links(nic('vir0a'), nic('vir0b')), ['vir0a']),
    ).not.toThrow();
    expect(check({ bonds: [], networks: [{ ...mgmt, vlanId: 100, vmNetwork: false }] }, links(nic('vir0a'), nic('vir0a.100')))).toThrow(
      "a veth named vir0a.100 exists on this host and is not Vireo's",
    );
    expect(
      check({ bonds: [], networks: [{ ...mgmt, nic: 'averyverylong0', vlanId: 100 }] }, links(nic('averyverylong0')), ['averyverylong0']),
    ).toThrow('averyverylong0.100 is longer than the 15 characters');
  });
});

describe('verifyLayout', () => {
  it('reports what exists, with its real MTU; a bridge that vanished is not reported', () => {
    const both: NetworkLayout = { bonds: [], networks: [mgmt, { name: 'vmnet', nic: 'vir0b', vlanId: null, mtu: 1500, vmNetwork: true }] };
    const l = links(nic('vir0a', { master: 'ovirtmgmt' }), nic('vir0b'), {
      name: 'ovirtmgmt',
      kind: 'bridge',
      master: null,
      mtu: 1400,
      up: true,
      addresses: [],
    });
    expect(verifyLayout(both, l)).toEqual({ bonds: [], networks: [{ ...mgmt, mtu: 1400 }] });
  });
});

describe('parseLinks', () => {
  it('reads `ip -j -d addr show`: kind, master, VLAN id and parent, addresses but link-local ones', () => {
    const json = JSON.stringify([
      {
        ifname: 'eth0',
        flags: ['UP'],
        mtu: 1400,
        addr_info: [
          { local: '192.0.2.2', prefixlen: 24, scope: 'global' },
          { local: 'fe80::1', prefixlen: 64, scope: 'link' },
        ],
      },
      {
        ifname: 'vir0a',
        link: 'vir0b',
        flags: [],
        mtu: 1500,
        master: 'ovirtmgmt',
        linkinfo: { info_kind: 'veth', info_slave_kind: 'bridge' },
      },
      {
        ifname: 'vir0a.10',
        link: 'vir0a',
        flags: ['UP'],
        mtu: 1500,
        linkinfo: { info_kind: 'vlan', info_data: { protocol: '802.1Q', id: 10 } },
      },
    ]);
    expect([...parseLinks(json).values()]).toEqual([
      { name: 'eth0', kind: null, master: null, mtu: 1400, up: true, addresses: ['192.0.2.2/24'] },
      { name: 'vir0a', kind: 'veth', master: 'ovirtmgmt', mtu: 1500, up: false, addresses: [] },
      { name: 'vir0a.10', kind: 'vlan', master: null, mtu: 1500, up: true, addresses: [], link: 'vir0a', vlanId: 10 },
    ]);
  });
});
