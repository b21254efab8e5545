import { describe, expect, it } from 'vitest';
import { checkLayout, layoutDifferences, layoutFor, type HostFacts, type LayoutRequest, type LogicalNetwork } from './layoutChecks.ts';

const net = (id: string, vlanId: number | null, mtu = 1500, vmNetwork = true): LogicalNetwork => ({ id, name: id, vlanId, mtu, vmNetwork });
const cluster = new Map(
  [
    net('ovirtmgmt', null),
    net('vm-public', 100),
    net('storage', 200, 9000, false),
    net('backup', null),
    net('twin', 100),
    net('jumbo', null, 9000),
  ].map((n) => [n.id, n]),
);
const others = new Map([['elsewhere', 'elsewhere']]);
const host = (over: Partial<HostFacts> = {}): HostFacts => ({
  name: 'host01',
  status: 'UP',
  nics: ['eno1', 'eno2', 'eno3', 'eno4'],
  attached: [{ networkId: 'ovirtmgmt', nic: 'eno1' }],
  connectedVia: 'eno1',
  managementNetworkId: 'ovirtmgmt',
  vmsByNetwork: new Map(),
  ...over,
});
const mgmt = { networkId: 'ovirtmgmt', nic: 'eno1' };
const codes = (request: Partial<LayoutRequest>, facts = host()) =>
  checkLayout(facts, { bonds: [], attachments: [mgmt], ...request }, cluster, others).map((r) => r.code);

describe('checkLayout', () => {
  it('takes VLAN networks beside an untagged one, and networks on a bond of two NICs', () => {
    const request: LayoutRequest = {
      bonds: [{ name: 'bond0', mode: '802.3ad', nics: ['eno2', 'eno3'] }],
      attachments: [mgmt, { networkId: 'vm-public', nic: 'eno1' }, { networkId: 'storage', nic: 'bond0' }],
    };
    expect(checkLayout(host(), request, cluster, others)).toEqual([]);
    expect(layoutFor(request, cluster)).toEqual({
      bonds: [{ name: 'bond0', mode: '802.3ad', nics: ['eno2', 'eno3'] }],
      networks: [
        { name: 'ovirtmgmt', nic: 'eno1', vlanId: null, mtu: 1500, vmNetwork: true },
        { name: 'vm-public', nic: 'eno1', vlanId: 100, mtu: 1500, vmNetwork: true },
        { name: 'storage', nic: 'bond0', vlanId: 200, mtu: 9000, vmNetwork: false },
      ],
    });
  });

  it('refuses a network the cluster does not have', () => {
    expect(codes({ attachments: [mgmt, { networkId: 'elsewhere', nic: 'eno2' }] })).toEqual(['NETWORKS_DONT_EXIST_IN_CLUSTER']);
  });

  it('refuses two untagged networks on one NIC', () => {
    expect(codes({ attachments: [mgmt, { networkId: 'backup', nic: 'eno1' }] })).toEqual([
      'NETWORK_INTERFACES_NOT_EXCLUSIVELY_USED_BY_UNTAGGED_NETWORK',
    ]);
  });

  it('refuses one VLAN id twice on a NIC', () => {
    expect(codes({ attachments: [mgmt, { networkId: 'vm-public', nic: 'eno2' }, { networkId: 'twin', nic: 'eno2' }] })).toEqual([
      'NETWORK_VLAN_ID_USED_TWICE_ON_INTERFACE',
    ]);
  });

  it('refuses a NIC in two bonds, and a bond of one NIC', () => {
    expect(
      codes({
        bonds: [
          { name: 'bond0', mode: 'active-backup', nics: ['eno2', 'eno3'] },
          { name: 'bond1', mode: 'active-backup', nics: ['eno3', 'eno4'] },
        ],
      }),
    ).toEqual(['NETWORK_INTERFACE_REFERENCED_AS_A_SLAVE_MULTIPLE_TIMES']);
    expect(codes({ bonds: [{ name: 'bond0', mode: 'active-backup', nics: ['eno2', 'eno2'] }] })).toEqual([
      'NETWORK_BONDS_INVALID_SLAVE_COUNT',
    ]);
  });

  it('refuses detaching the management network, or moving it off the interface the agent talks over', () => {
    expect(codes({ attachments: [] })).toEqual(['NETWORK_CANNOT_REMOVE_MANAGEMENT_NETWORK']);
    expect(codes({ attachments: [{ networkId: 'ovirtmgmt', nic: 'eno2' }] })).toEqual(['NETWORK_CANNOT_REMOVE_MANAGEMENT_NETWORK']);
    // Bonding its NIC keeps the connection.
    expect(
      codes({
        bonds: [{ name: 'bond0', mode: 'active-backup', nics: ['eno1', 'eno2'] }],
        attachments: [{ networkId: 'ovirtmgmt', nic: 'bond0' }],
      }),
    ).toEqual([]);
  });

  it('refuses networks of different MTUs on a NIC whose untagged network sets its MTU', () => {
    expect(codes({ attachments: [mgmt, { networkId: 'storage', nic: 'eno1' }] })).toEqual(['NETWORK_MTU_DIFFERENCES']);
    // VLANs alone may differ: the device takes the largest.
    expect(codes({ attachments: [mgmt, { networkId: 'storage', nic: 'eno2' }, { networkId: 'vm-public', nic: 'eno2' }] })).toEqual([]);
  });

  it('refuses a host that is neither Up, NonOperational nor in maintenance', () => {
    expect(codes({}, host({ status: 'NON_RESPONSIVE' }))).toEqual(['HOST_STATUS_ILLEGAL']);
    expect(codes({}, host({ status: 'MAINTENANCE' }))).toEqual([]);
  });

  it('refuses unknown NICs, networks on a bond slave, and detaching a network running VMs use', () => {
    expect(codes({ attachments: [mgmt, { networkId: 'vm-public', nic: 'eth9' }] })).toEqual(['NETWORK_INTERFACES_DONT_EXIST']);
    expect(
      codes({
        bonds: [{ name: 'bond0', mode: 'active-backup', nics: ['eno2', 'eno3'] }],
        attachments: [mgmt, { networkId: 'vm-public', nic: 'eno2' }],
      }),
    ).toEqual(['NETWORK_INTERFACE_ATTACHED_TO_NETWORK_CANNOT_BE_SLAVE']);
    const busy = host({ attached: [mgmt, { networkId: 'vm-public', nic: 'eno1' }], vmsByNetwork: new Map([['vm-public', ['web01']]]) });
    expect(checkLayout(busy, { bonds: [], attachments: [mgmt] }, cluster, others)).toEqual([
      {
        code: 'NETWORK_CANNOT_DETACH_NETWORK_USED_BY_VMS',
        message: 'Network vm-public is used by running VM web01; stop or migrate it first.',
      },
    ]);
  });
});

describe('layoutDifferences', () => {
  it('says what the host reports differently from what was asked', () => {
    const asked = { bonds: [], networks: [{ name: 'vm-public', nic: 'eno1', vlanId: 100, mtu: 1500, vmNetwork: true }] };
    expect(layoutDifferences(asked, asked)).toEqual([]);
    expect(layoutDifferences(asked, { bonds: [], networks: [] })).toEqual(['network vm-public on eno1 VLAN 100 MTU 1500 is missing']);
  });
});
