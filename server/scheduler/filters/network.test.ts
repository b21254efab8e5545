import { describe, expect, it } from 'vitest';
import { host, policy, vm } from '../fixtures.ts';
import { network } from './network.ts';

describe('Network', () => {
  it("needs every network of the VM's NICs, and names the missing ones", () => {
    expect(network.filter(host({ networkIds: ['n1'] }), vm({ networkIds: ['n1'] }), policy())).toBeNull();
    expect(network.filter(host(), vm({ networkIds: ['n1'] }), policy())).toEqual({
      code: 'HOST_LACKS_NETWORK',
      message: 'host host1 lacks network vmnet.',
    });
  });
});
