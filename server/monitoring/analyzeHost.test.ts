import { describe, expect, it } from 'vitest';
import { analyzeCapabilities, analyzeHostReport, analyzeNetworkCompliance } from './analyzeHost.ts';
import { silentHosts } from './watchdog.ts';
import type { HostCapabilities } from '../../protocol/messages.ts';

const host = { id: 'h1', name: 'host1', clusterId: 'c1' };

describe('analyzeHostReport', () => {
  it('brings a new or NonResponsive host Up, with an event', () => {
    for (const status of ['INSTALLING', 'UNASSIGNED', 'NON_RESPONSIVE'] as const) {
      const d = analyzeHostReport({ ...host, status });
      expect(d.status).toBe('UP');
      expect(d.events.map((e) => e.code)).toEqual(['VDS_DETECTED']);
    }
  });

  it('leaves Up and Maintenance hosts as they are', () => {
    expect(analyzeHostReport({ ...host, status: 'UP' })).toEqual({ status: null, events: [] });
    expect(analyzeHostReport({ ...host, status: 'MAINTENANCE' })).toEqual({ status: null, events: [] });
  });
  it("makes a host whose hypervisor is unreachable NonOperational with the hypervisor's words, and Up when it answers again", () => {
    const down = analyzeHostReport(
      { ...host, status: 'UP', statusReason: '' },
      "libvirt at qemu:///system: Failed to connect socket to '/run/libvirt/libvirt-sock'",
    );
    expect(down).toMatchObject({
      status: 'NON_OPERATIONAL',
      statusReason: "The hypervisor is unreachable: libvirt at qemu:///system: Failed to connect socket to '/run/libvirt/libvirt-sock'",
    });
    expect(down.events.map((e) => e.code)).toEqual(['VDS_HYPERVISOR_UNREACHABLE']);
    // Reported again with the same words: nothing new.
    expect(
      analyzeHostReport(
        { ...host, status: 'NON_OPERATIONAL', statusReason: down.statusReason },
        "libvirt at qemu:///system: Failed to connect socket to '/run/libvirt/libvirt-sock'",
      ).status,
    ).toBeNull();
    expect(analyzeHostReport({ ...host, status: 'NON_OPERATIONAL', statusReason: down.statusReason })).toMatchObject({
      status: 'UP',
      events: [{ code: 'VDS_DETECTED' }],
    });
    // NonOperational or in maintenance for another reason: the hypervisor's return changes nothing.
    expect(analyzeHostReport({ ...host, status: 'NON_OPERATIONAL', statusReason: 'Network ovirtmgmt is missing' }).status).toBeNull();
    expect(analyzeHostReport({ ...host, status: 'MAINTENANCE', statusReason: '' }, 'refused').status).toBeNull();
  });

  it('makes a host that lacks a required network NonOperational instead of Up', () => {
    const d = analyzeHostReport({ ...host, status: 'UNASSIGNED', missingNetworks: ['storage', 'vm-public'] });
    expect(d).toMatchObject({
      status: 'NON_OPERATIONAL',
      nonOperationalReason: 'NETWORK_UNREACHABLE',
      statusReason: 'Host lacks the required networks storage, vm-public of its cluster.',
    });
    expect(d.events.map((e) => e.code)).toEqual(['VDS_SET_NONOPERATIONAL_NETWORK']);
  });
});

describe('analyzeNetworkCompliance', () => {
  it('turns an Up host that lost a required network NonOperational, and back Up when it has it again', () => {
    const lost = analyzeNetworkCompliance({ ...host, status: 'UP', nonOperationalReason: null }, ['vm-public']);
    expect(lost).toMatchObject({ status: 'NON_OPERATIONAL', nonOperationalReason: 'NETWORK_UNREACHABLE' });
    expect(lost.events.map((e) => e.code)).toEqual(['VDS_SET_NONOPERATIONAL_NETWORK']);
    const back = analyzeNetworkCompliance({ ...host, status: 'NON_OPERATIONAL', nonOperationalReason: 'NETWORK_UNREACHABLE' }, []);
    expect(back).toMatchObject({ status: 'UP', nonOperationalReason: null, statusReason: '' });
    expect(back.events.map((e) => e.code)).toEqual(['VDS_DETECTED']);
  });

  it('leaves hosts in maintenance, and NonOperational for another reason, as they are', () => {
    expect(analyzeNetworkCompliance({ ...host, status: 'MAINTENANCE', nonOperationalReason: null }, ['vm-public']).status).toBeNull();
    expect(analyzeNetworkCompliance({ ...host, status: 'NON_OPERATIONAL', nonOperationalReason: null }, []).status).toBeNull();
  });
});

describe('analyzeCapabilities', () => {
  const nic = (name: string, macAddress: string, speedMbps: number) => ({
    name,
    macAddress,
    speedMbps,
    mtu: 1500,
    bondMode: null,
    bondName: null,
  });
  const caps = (network = { bonds: [], networks: [] } as HostCapabilities['network']): HostCapabilities => ({
    cpu: { model: 'Xeon', sockets: 2, coresPerSocket: 8, threadsPerCore: 2 },
    memoryMb: 65536,
    osVersion: 'EL9',
    storage: [],
    network,
    nics: [
      { name: 'eno1', macAddress: 'aa', speedMbps: 25000, mtu: 1500 },
      { name: 'eno2', macAddress: 'bb', speedMbps: 1000, mtu: 9000 },
    ],
  });

  it('adds, updates and removes NICs by name', () => {
    const c = analyzeCapabilities([nic('eno1', 'aa', 1000), nic('old0', 'cc', 1000)], caps(), '1.0');
    expect(c.host).toMatchObject({ cpuModel: 'Xeon', cpuSockets: 2, cpuCores: 8, cpuThreads: 2, memoryMb: 65536, agentVersion: '1.0' });
    expect(c.nicsToCreate.map((n) => n.name)).toEqual(['eno2']);
    expect(c.nicsToUpdate.map((n) => n.name)).toEqual(['eno1']);
    expect(c.nicsToRemove).toEqual(['old0']);
  });

  it('lists a reported bond as an interface, its NICs as its slaves, with its speed and MTU', () => {
    const c = analyzeCapabilities(
      [],
      caps({
        bonds: [{ name: 'bond0', mode: '802.3ad', nics: ['eno1', 'eno2'] }],
        networks: [{ name: 'storage', nic: 'bond0', vlanId: 200, mtu: 9000, vmNetwork: false }],
      }),
      '1.0',
    );
    expect(c.nicsToCreate).toEqual([
      { name: 'eno1', macAddress: 'aa', speedMbps: 25000, mtu: 1500, bondMode: null, bondName: 'bond0' },
      { name: 'eno2', macAddress: 'bb', speedMbps: 1000, mtu: 9000, bondMode: null, bondName: 'bond0' },
      { name: 'bond0', macAddress: 'aa', speedMbps: 26000, mtu: 9000, bondMode: 'LACP', bondName: null },
    ]);
  });
});

describe('silentHosts', () => {
  const now = new Date('2026-01-01T00:01:00Z');
  it('finds hosts that should report and have been silent longer than the timeout', () => {
    const hosts = [
      { id: 'late', status: 'UP' as const, lastSeenAt: new Date('2026-01-01T00:00:00Z') },
      { id: 'fresh', status: 'UP' as const, lastSeenAt: new Date('2026-01-01T00:00:55Z') },
      { id: 'already', status: 'NON_RESPONSIVE' as const, lastSeenAt: new Date('2026-01-01T00:00:00Z') },
      { id: 'never', status: 'UNASSIGNED' as const, lastSeenAt: null },
    ];
    expect(silentHosts(hosts, now, 10_000)).toEqual(['late']);
  });

  it('gives every host the full timeout after the engine starts watching', () => {
    const old = [{ id: 'h', status: 'UP' as const, lastSeenAt: new Date('2025-12-31T00:00:00Z') }];
    expect(silentHosts(old, now, 10_000, new Date('2026-01-01T00:00:55Z'))).toEqual([]);
    expect(silentHosts(old, now, 10_000, new Date('2026-01-01T00:00:45Z'))).toEqual(['h']);
  });
});
