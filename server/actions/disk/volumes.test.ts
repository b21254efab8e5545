// Disks another operation holds (LOCKED) or that failed (ILLEGAL) refuse new work on them. A
// disk is LOCKED only inside another action's transaction, which no API leaves visible, so the
// rule is checked here on its own; through the API, two actions at once meet the VM's lock.
import { describe, expect, it } from 'vitest';
import { disksUsable } from './volumes.ts';

describe('disksUsable', () => {
  it('refuses locked disks, naming each', () => {
    const disks = [
      { alias: 'a', status: 'LOCKED' },
      { alias: 'b', status: 'OK' },
      { alias: 'c', status: 'LOCKED' },
    ];
    expect(disksUsable(disks)).toEqual({ code: 'DISKS_LOCKED', message: 'Disk(s) a, c are locked by another operation.' });
  });

  it('refuses illegal disks, and allows disks that are OK', () => {
    expect(disksUsable([{ alias: 'x', status: 'ILLEGAL' }])).toMatchObject({ code: 'DISKS_ILLEGAL', message: 'Disk(s) x are illegal.' });
    expect(disksUsable([{ alias: 'y', status: 'OK' }])).toBeNull();
  });
});
