import { describe, expect, it } from 'vitest';
import type { DomainReport } from '../../protocol/messages.ts';
import { analyzeVms, type VmView } from './analyzeVms.ts';

const host = { id: 'h1', name: 'host1', clusterId: 'c1', status: 'UP' as const };
const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const sample = { cpuPercent: 5, netRxBps: 0, netTxBps: 0, diskReadBps: 0, diskWriteBps: 0, uptimeSeconds: 10 };
const domain = (n: number, state: DomainReport['state'], extra: Partial<DomainReport> = {}): DomainReport => ({
  id: id(n),
  name: `vm${n}`,
  state,
  memoryMb: 1024,
  vcpus: 1,
  sample,
  guest: null,
  ...extra,
});
const vm = (n: number, status: VmView['status'], hostId: string | null = 'h1', extra: Partial<VmView> = {}): VmView => ({
  id: id(n),
  name: `vm${n}`,
  status,
  hostId,
  clusterId: 'c1',
  external: false,
  migratingToHostId: null,
  ...extra,
});
const to = (hostId: string) => ({ migratingToHostId: hostId });

describe('analyzeVms', () => {
  it('changes nothing when the report matches the database', () => {
    const out = analyzeVms(host, [vm(1, 'UP')], [domain(1, 'UP')]);
    expect(out.updates).toEqual([]);
    expect(out.events).toEqual([]);
    expect(out.sampled.map((d) => d.id)).toEqual([id(1)]);
  });

  it('follows a boot: PoweringUp then Up, with an event when it is up', () => {
    expect(analyzeVms(host, [vm(1, 'WAIT_FOR_LAUNCH')], [domain(1, 'POWERING_UP')]).updates).toEqual([
      { id: id(1), status: 'POWERING_UP', hostId: 'h1' },
    ]);
    const up = analyzeVms(host, [vm(1, 'POWERING_UP')], [domain(1, 'UP')]);
    expect(up.updates).toEqual([{ id: id(1), status: 'UP', hostId: 'h1' }]);
    expect(up.events.map((e) => e.code)).toEqual(['VM_UP']);
  });

  it('records a VM the engine did not expect as external, not lost', () => {
    const out = analyzeVms(host, [], [domain(7, 'UP')]);
    expect(out.discovered.map((d) => d.id)).toEqual([id(7)]);
    expect(out.events.map((e) => e.code)).toEqual(['VM_EXTERNAL_DISCOVERED']);
  });

  it('sets Down a VM that exits, as an error when it crashed', () => {
    const shut = analyzeVms(host, [vm(1, 'POWERING_DOWN')], [domain(1, 'DOWN', { exitReason: 'SHUTDOWN' })]);
    expect(shut.updates).toEqual([{ id: id(1), status: 'DOWN', hostId: null }]);
    expect(shut.events.map((e) => e.code)).toEqual(['VM_DOWN']);
    const crash = analyzeVms(host, [vm(1, 'UP')], [domain(1, 'DOWN', { exitReason: 'CRASHED', exitMessage: 'boom' })]);
    expect(crash.events.map((e) => [e.code, e.vars.exitMessage])).toEqual([['VM_DOWN_ERROR', 'boom']]);
  });

  it('sets Down a running VM missing from its host, but not one still launching', () => {
    const out = analyzeVms(host, [vm(1, 'UP'), vm(2, 'WAIT_FOR_LAUNCH'), vm(3, 'DOWN', null)], []);
    expect(out.updates).toEqual([{ id: id(1), status: 'DOWN', hostId: null }]);
  });

  it('moves a VM to the host that now runs it (migration), ignoring the destination before it is Up', () => {
    expect(analyzeVms(host, [vm(1, 'MIGRATING_FROM', 'h2', to('h1'))], [domain(1, 'MIGRATING_TO')]).updates).toEqual([]);
    const done = analyzeVms(host, [vm(1, 'MIGRATING_FROM', 'h2', to('h1'))], [domain(1, 'UP')]);
    expect(done.updates).toEqual([{ id: id(1), status: 'UP', hostId: 'h1' }]);
    expect(done.events.map((e) => e.code)).toEqual(['VM_MIGRATED_BY_HOST']);
  });

  it('does not take a "migrated away" exit on the source for the end of the VM', () => {
    expect(analyzeVms(host, [vm(1, 'MIGRATING_FROM')], [domain(1, 'DOWN', { exitReason: 'MIGRATED' })]).updates).toEqual([]);
    expect(analyzeVms(host, [vm(1, 'UP', 'h2')], [domain(1, 'DOWN', { exitReason: 'MIGRATED' })]).updates).toEqual([]);
  });

  it('refuses a running VM the engine placed on another host (or on none), once logged, never sampled', () => {
    for (const claimed of [
      vm(1, 'UP', 'h2'),
      vm(1, 'MIGRATING_FROM', 'h2', to('h3')),
      vm(1, 'DOWN', null),
      vm(1, 'UP', 'h2', { external: true }),
    ]) {
      const out = analyzeVms(host, [claimed], [domain(1, 'UP')]);
      expect(out).toMatchObject({ updates: [], sampled: [], discovered: [], refusedClaims: [id(1)] });
      expect(out.events.map((e) => [e.code, e.objects.hostId])).toEqual([['VM_CLAIM_REFUSED', 'h1']]);
      expect(analyzeVms(host, [claimed], [domain(1, 'UP')], new Set([id(1)])).events).toEqual([]);
    }
    // Nor may it suspend or stop one.
    expect(analyzeVms(host, [vm(1, 'DOWN', null)], [domain(1, 'DOWN', { exitReason: 'SAVED' })]).updates).toEqual([]);
  });

  it('lets a host take up an external VM of its cluster that no host runs', () => {
    expect(analyzeVms(host, [vm(1, 'DOWN', null, { external: true })], [domain(1, 'UP')]).updates).toEqual([
      { id: id(1), status: 'UP', hostId: 'h1' },
    ]);
    expect(analyzeVms(host, [vm(1, 'DOWN', null, { external: true, clusterId: 'c2' })], [domain(1, 'UP')]).refusedClaims).toEqual([id(1)]);
  });

  it('reconciles after the host was NonResponsive: reported VMs come back, missing ones go Down', () => {
    const out = analyzeVms(host, [vm(1, 'UNKNOWN'), vm(2, 'UNKNOWN')], [domain(1, 'UP')]);
    expect(out.updates).toEqual([
      { id: id(1), status: 'UP', hostId: 'h1' },
      { id: id(2), status: 'DOWN', hostId: null },
    ]);
  });
});
