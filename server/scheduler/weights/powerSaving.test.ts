import { describe, expect, it } from 'vitest';
import { host, policy, vm } from '../fixtures.ts';
import { powerSaving } from './powerSaving.ts';

describe('PowerSaving', () => {
  it('prefers the busiest host that fits', () => {
    expect(powerSaving.score(host({ committedMb: 8192 }), vm(), policy())).toBeLessThan(
      powerSaving.score(host({ committedMb: 2048 }), vm(), policy()),
    );
  });
});
