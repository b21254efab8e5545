import { describe, expect, it } from 'vitest';
import { analyzeVms } from './analyzeVms.ts';
import type { DomainReport } from '../../protocol/messages.ts';

const host = { id: 'h1', name: 'host1', clusterId: 'c1', status: 'UP' as const };
const d = (state: DomainReport['state'], extra: Partial<DomainReport> = {}): DomainReport => ({
  id: 'v1',
  name: 'web01',
  state,
  memoryMb: 1024,
  vcpus: 1,
  guest: null,
  sample: { cpuPercent: 0, netRxBps: 0, netTxBps: 0, diskReadBps: 0, diskWriteBps: 0, uptimeSeconds: 0 },
  ...extra,
});

describe('analyzeVms: lifecycle reports', () => {
  it('a domain saved to disk makes the VM Suspended, off its host', () => {
    const out = analyzeVms(
      host,
      [{ id: 'v1', name: 'web01', status: 'SAVING_STATE', hostId: 'h1', clusterId: 'c1', external: false, migratingToHostId: null }],
      [d('DOWN', { exitReason: 'SAVED' })],
    );
    expect(out.updates).toEqual([{ id: 'v1', status: 'SUSPENDED', hostId: null }]);
    expect(out.events.map((e) => e.code)).toEqual(['VM_SUSPENDED']);
  });

  it('passes on migration progress and failures, and a failed migration back to Up is not a new VM_UP', () => {
    const vm = {
      id: 'v1',
      name: 'web01',
      status: 'MIGRATING_FROM' as const,
      hostId: 'h1',
      clusterId: 'c1',
      external: false,
      migratingToHostId: 'h2',
    };
    expect(analyzeVms(host, [vm], [d('MIGRATING_FROM', { migrationProgress: 40 })]).migrations).toEqual([
      { vmId: 'v1', hostId: 'h1', progress: 40, error: undefined },
    ]);
    const failed = analyzeVms(host, [vm], [d('UP', { migrationError: 'lost the connection' })]);
    expect(failed.migrations).toEqual([{ vmId: 'v1', hostId: 'h1', progress: undefined, error: 'lost the connection' }]);
    expect(failed.updates).toEqual([{ id: 'v1', status: 'UP', hostId: 'h1' }]);
    expect(failed.events).toEqual([]);
  });
});
