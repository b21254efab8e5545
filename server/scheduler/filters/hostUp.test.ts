import { describe, expect, it } from 'vitest';
import { host, policy, vm } from '../fixtures.ts';
import { hostUp } from './hostUp.ts';

describe('HostUp', () => {
  it('passes an Up host and leaves maintenance to its own unit', () => {
    expect(hostUp.filter(host(), vm(), policy())).toBeNull();
    expect(hostUp.filter(host({ status: 'MAINTENANCE' }), vm(), policy())).toBeNull();
  });
  it('refuses a host that is not Up', () => {
    expect(hostUp.filter(host({ status: 'NON_RESPONSIVE' }), vm(), policy())).toEqual({
      code: 'HOST_NOT_UP',
      message: 'host host1 is NON_RESPONSIVE, not Up.',
    });
  });
});
