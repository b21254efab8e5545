import { describe, expect, it } from 'vitest';
import { schedule } from './schedule.ts';
import { host, policy, vm } from './fixtures.ts';

describe('schedule', () => {
  const hosts = [
    host({ id: 'a', name: 'a', committedMb: 8192 }),
    host({ id: 'b', name: 'b', committedMb: 2048 }),
    host({ id: 'c', name: 'c', status: 'MAINTENANCE' }),
    host({ id: 'd', name: 'd', committedMb: 15000 }),
  ];

  it('spreads by default and says why each refused host was refused', () => {
    const r = schedule(hosts, vm(), policy());
    expect(r.hostId).toBe('b');
    expect(r.rejections.map((x) => [x.hostName, x.unit, x.code])).toEqual([
      ['c', 'Maintenance', 'HOST_IN_MAINTENANCE'],
      ['d', 'Memory', 'HOST_LACKS_MEMORY'],
    ]);
  });

  it('packs with power saving', () => {
    expect(schedule(hosts, vm(), policy({ schedulingPolicy: 'power_saving' })).hostId).toBe('a');
  });

  it('counts VMs, not memory, with vm_evenly_distributed; takes the first by name with none', () => {
    const byCount = [
      host({ id: 'a', name: 'a', committedMb: 1024, vmCount: 4 }),
      host({ id: 'b', name: 'b', committedMb: 8192, vmCount: 1 }),
    ];
    expect(schedule(byCount, vm(), policy({ schedulingPolicy: 'vm_evenly_distributed' })).hostId).toBe('b');
    expect(schedule(byCount, vm(), policy({ schedulingPolicy: 'evenly_distributed' })).hostId).toBe('a');
    expect(schedule([...byCount].reverse(), vm(), policy({ schedulingPolicy: 'none' })).hostId).toBe('a');
  });

  it('finds no host when every one is refused', () => {
    const r = schedule(hosts, vm({ memoryMb: 65536 }), policy());
    expect(r.hostId).toBeNull();
    expect(r.rejections).toHaveLength(4);
  });
});
