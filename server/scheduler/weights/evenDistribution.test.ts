import { describe, expect, it } from 'vitest';
import { host, policy, vm } from '../fixtures.ts';
import { evenDistribution } from './evenDistribution.ts';

describe('EvenDistribution', () => {
  it('prefers the host with the smaller share of memory committed, then fewer VMs', () => {
    const idle = evenDistribution.score(host({ committedMb: 2048 }), vm(), policy());
    const busy = evenDistribution.score(host({ committedMb: 8192 }), vm(), policy());
    expect(idle).toBeLessThan(busy);
    expect(evenDistribution.score(host({ vmCount: 1 }), vm(), policy())).toBeLessThan(
      evenDistribution.score(host({ vmCount: 2 }), vm(), policy()),
    );
  });
});
