import { describe, expect, it } from 'vitest';
import { host as candidate } from '../scheduler/fixtures.ts';
import { planPowerOffs } from './powerOffs.ts';
import type { HostLoad } from './types.ts';

const NOW = new Date('2026-12-07T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const host = (name: string, over: Partial<HostLoad> = {}): HostLoad => ({
  ...candidate({ id: name, name }),
  threads: 8,
  cpu: null,
  settling: false,
  emptySince: minutesAgo(30),
  powerManagement: true,
  neededForHaReservation: false,
  ...over,
});
const settings = { spareHosts: 1, idleMinutes: 10, now: NOW };

describe('planPowerOffs', () => {
  it('powers off the empty hosts beyond the spares, those empty longest first', () => {
    const plan = planPowerOffs(
      [
        host('a', { vmCount: 2, emptySince: null }),
        host('b', { emptySince: minutesAgo(12) }),
        host('c'),
        host('d', { emptySince: minutesAgo(20) }),
      ],
      settings,
    );
    expect(plan.powerOffs).toEqual([
      {
        hostId: 'c',
        hostName: 'c',
        reason: 'host c has run no VM for 30 min and the cluster keeps 1 spare Up host: it is put into maintenance and powered off.',
      },
      expect.objectContaining({ hostId: 'd' }),
    ]);
    expect(plan.notes).toEqual(['Host b runs no VM and stays Up: the cluster keeps 1 spare Up host.']);
  });

  it('keeps a host empty for less than the idle time, saying when it goes', () => {
    const plan = planPowerOffs([host('a'), host('b', { emptySince: minutesAgo(4) })], { ...settings, spareHosts: 0 });
    expect(plan.powerOffs.map((p) => p.hostId)).toEqual(['a']);
    expect(plan.notes).toEqual(['Host b runs no VM; it is powered off once it has run none for 10 min (at 2026-12-07T12:06:00.000Z).']);
  });

  it('never powers off a host without power management, one the HA reservation needs, or one not Up', () => {
    const plan = planPowerOffs(
      [
        host('a', { powerManagement: false }),
        host('b', { neededForHaReservation: true }),
        host('c', { status: 'MAINTENANCE' }),
        host('d', { status: 'DOWN' }),
      ],
      { ...settings, spareHosts: 0 },
    );
    expect(plan.powerOffs).toEqual([]);
    expect(plan.notes).toEqual([
      'Host a runs no VM but has no power management, so power saving cannot power it off.',
      'Host b runs no VM but stays Up: without it the cluster could not keep its HA reservation.',
    ]);
  });

  it('keeps as many empty Up hosts as the cluster asks', () => {
    const plan = planPowerOffs([host('a'), host('b')], { ...settings, spareHosts: 2 });
    expect(plan).toEqual({ powerOffs: [], notes: ['2 Up hosts run no VM; the cluster keeps 2 spare Up hosts, so none is powered off.'] });
    expect(planPowerOffs([host('a', { vmCount: 1 })], settings)).toEqual({ powerOffs: [], notes: [] });
  });
});
