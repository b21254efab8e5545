import { describe, expect, it } from 'vitest';
import { analyzeCapabilities, analyzeHostReport } from './analyzeHost.ts';
import { silentHosts } from './watchdog.ts';

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
    const down = analyzeHostReport({ ...host, status: 'UP', statusReason: '' }, "libvirt at qemu:///system: Failed to connect socket to '/run/libvirt/libvirt-sock'");
    expect(down).toMatchObject({ status: 'NON_OPERATIONAL', statusReason: "The hypervisor is unreachable: libvirt at qemu:///system: Failed to connect socket to '/run/libvirt/libvirt-sock'" });
    expect(down.events.map((e) => e.code)).toEqual(['VDS_HYPERVISOR_UNREACHABLE']);
    // Reported again with the same words: nothing new.
    expect(analyzeHostReport({ ...host, status: 'NON_OPERATIONAL', statusReason: down.statusReason }, "libvirt at qemu:///system: Failed to connect socket to '/run/libvirt/libvirt-sock'").status).toBeNull();
    expect(analyzeHostReport({ ...host, status: 'NON_OPERATIONAL', statusReason: down.statusReason })).toMatchObject({ status: 'UP', events: [{ code: 'VDS_DETECTED' }] });
    // NonOperational or in maintenance for another reason: the hypervisor's return changes nothing.
    expect(analyzeHostReport({ ...host, status: 'NON_OPERATIONAL', statusReason: 'Network ovirtmgmt is missing' }).status).toBeNull();
    expect(analyzeHostReport({ ...host, status: 'MAINTENANCE', statusReason: '' }, 'refused').status).toBeNull();
  });
});

describe('analyzeCapabilities', () => {
  it('adds, updates and removes NICs by name', () => {
    const caps = {
      cpu: { model: 'Xeon', sockets: 2, coresPerSocket: 8, threadsPerCore: 2 }, memoryMb: 65536, osVersion: 'EL9', storage: [],
      nics: [{ name: 'eno1', macAddress: 'aa', speedMbps: 25000 }, { name: 'eno2', macAddress: 'bb', speedMbps: 1000 }],
    };
    const c = analyzeCapabilities([{ name: 'eno1', macAddress: 'aa', speedMbps: 1000 }, { name: 'old0', macAddress: 'cc', speedMbps: 1000 }], caps, '1.0');
    expect(c.host).toMatchObject({ cpuModel: 'Xeon', cpuSockets: 2, cpuCores: 8, cpuThreads: 2, memoryMb: 65536, agentVersion: '1.0' });
    expect(c.nicsToCreate.map((n) => n.name)).toEqual(['eno2']);
    expect(c.nicsToUpdate.map((n) => n.name)).toEqual(['eno1']);
    expect(c.nicsToRemove).toEqual(['old0']);
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
