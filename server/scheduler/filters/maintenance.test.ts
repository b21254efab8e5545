import { describe, expect, it } from 'vitest';
import { host, policy, vm } from '../fixtures.ts';
import { notInMaintenance } from './maintenance.ts';

describe('Maintenance', () => {
  it('refuses a host in or entering maintenance', () => {
    expect(notInMaintenance.filter(host({ status: 'MAINTENANCE' }), vm(), policy())?.code).toBe('HOST_IN_MAINTENANCE');
    expect(notInMaintenance.filter(host({ status: 'PREPARING_FOR_MAINTENANCE' }), vm(), policy())?.code).toBe('HOST_IN_MAINTENANCE');
    expect(notInMaintenance.filter(host(), vm(), policy())).toBeNull();
  });
});
