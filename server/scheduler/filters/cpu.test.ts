import { describe, expect, it } from 'vitest';
import { host, policy, vm } from '../fixtures.ts';
import { cpu } from './cpu.ts';

describe('CPU', () => {
  it('needs as many cores as virtual CPUs', () => {
    expect(cpu.filter(host({ cpuCores: 2 }), vm({ vcpus: 2 }), policy())).toBeNull();
    expect(cpu.filter(host({ cpuCores: 2 }), vm({ vcpus: 4 }), policy())?.code).toBe('HOST_LACKS_CPU_CORES');
  });
});
