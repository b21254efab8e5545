import { describe, expect, it } from 'vitest';
import { freePercent, planBalloons, planKsm } from './balloonPlan.ts';

const policy = { ballooning: true, lowFreePercent: 20, highFreePercent: 30, ksm: true };
const vm = (balloonMb: number, extra: Partial<{ guaranteedMb: number; ballooning: boolean; memoryMb: number }> = {}) => ({
  id: 'a',
  balloonMb,
  memoryMb: 4096,
  guaranteedMb: 1024,
  ballooning: true,
  ...extra,
});

describe('planBalloons', () => {
  it('under the low threshold takes a quarter of the room above guaranteed, never going below it', () => {
    expect(planBalloons(policy, 10, [vm(4096)])).toEqual([
      { vmId: 'a', fromMb: 4096, toMb: 3328, guaranteedMb: 1024, cause: 'PRESSURE', thresholdPercent: 20 },
    ]);
    expect(planBalloons(policy, 10, [vm(1030)])[0]!.toMb).toBe(1024);
    expect(planBalloons(policy, 10, [vm(1024)])).toEqual([]);
  });

  it('leaves VMs without ballooning alone under pressure, and does nothing between the thresholds', () => {
    expect(planBalloons(policy, 10, [vm(4096, { ballooning: false })])).toEqual([]);
    expect(planBalloons(policy, 25, [vm(2048)])).toEqual([]);
  });

  it('over the high threshold, or with ballooning off, gives a quarter of the memory back up to all of it', () => {
    expect(planBalloons(policy, 40, [vm(2048)])[0]).toMatchObject({ toMb: 3072, cause: 'RELIEF', thresholdPercent: 30 });
    expect(planBalloons(policy, 40, [vm(3800)])[0]).toMatchObject({ toMb: 4096 });
    expect(planBalloons({ ...policy, ballooning: false }, 5, [vm(2048)])[0]).toMatchObject({ toMb: 3072, cause: 'OFF' });
    expect(planBalloons(policy, 40, [vm(4096)])).toEqual([]);
  });

  it('computes free memory as a share of used + free', () => {
    expect(freePercent({ memUsedMb: 750, memFreeMb: 250 })).toBe(25);
  });
});

describe('planKsm', () => {
  it('starts KSM under the low threshold when the policy wants it; stops only what it started', () => {
    expect(planKsm(policy, 10, null)).toBe(true);
    expect(planKsm(policy, 10, true)).toBeNull();
    expect(planKsm(policy, 40, true)).toBe(false);
    expect(planKsm(policy, 40, null)).toBeNull();
    expect(planKsm({ ...policy, ksm: false }, 10, null)).toBeNull();
    expect(planKsm({ ...policy, ksm: false }, 10, true)).toBe(false);
  });
});
