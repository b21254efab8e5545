import { describe, expect, it } from 'vitest';
import { host, vm } from '../fixtures.ts';
import { brokenRules } from './brokenRules.ts';
import type { VmAffinity } from '../types.ts';

const peer = (vmId: string, hostId: string) => ({ vmId, vmName: vmId, hostId, hostName: hostId });
const rules = (r: Partial<VmAffinity>): VmAffinity[] => [{ group: 'g', vms: null, hosts: null, ...r }];

describe('brokenRules', () => {
  it('together: a host without the other VMs breaks it; the VM itself is no peer', () => {
    const v = vm({ affinity: rules({ vms: { positive: true, enforcing: true, peers: [peer('v1', 'h9'), peer('v2', 'h2')] } }) });
    expect(brokenRules(host({ id: 'h2', name: 'h2' }), v)).toEqual([]);
    expect(brokenRules(host({ id: 'h9', name: 'h9' }), v)).toEqual([
      {
        group: 'g',
        kind: 'VMS_TOGETHER',
        enforcing: true,
        code: 'AFFINITY_VMS_TOGETHER',
        message: 'host h9 runs no VM of affinity group g (VMs together, hard); v2 run on h2.',
      },
    ]);
  });

  it('apart: a host running another VM of the group breaks it', () => {
    const v = vm({ affinity: rules({ vms: { positive: false, enforcing: false, peers: [peer('v2', 'h2')] } }) });
    expect(brokenRules(host({ id: 'h1' }), v)).toEqual([]);
    expect(brokenRules(host({ id: 'h2', name: 'h2' }), v)[0]?.message).toBe('host h2 runs v2 of affinity group g (VMs apart, soft).');
  });

  it("on / not on the group's hosts", () => {
    const on = vm({ affinity: rules({ hosts: { positive: true, enforcing: true, hostIds: ['h2'] } }) });
    const off = vm({ affinity: rules({ hosts: { positive: false, enforcing: true, hostIds: ['h2'] } }) });
    expect(brokenRules(host({ id: 'h1' }), on).map((r) => r.code)).toEqual(['AFFINITY_ON_HOSTS']);
    expect(brokenRules(host({ id: 'h2' }), on)).toEqual([]);
    expect(brokenRules(host({ id: 'h2' }), off).map((r) => r.code)).toEqual(['AFFINITY_NOT_ON_HOSTS']);
    expect(brokenRules(host({ id: 'h1' }), off)).toEqual([]);
  });
});
