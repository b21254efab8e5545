import { describe, expect, it } from 'vitest';
import { host, policy, vm } from '../fixtures.ts';
import { memory } from './memory.ts';

describe('Memory', () => {
  it('counts what is committed (pending starts included by the caller) against the memory', () => {
    expect(memory.filter(host({ committedMb: 12288 }), vm(), policy())).toBeNull();
    expect(memory.filter(host({ committedMb: 12289 }), vm(), policy())).toEqual({
      code: 'HOST_LACKS_MEMORY',
      message: 'host host1 has 4095 MiB schedulable memory; the VM needs 4096 MiB.',
    });
  });
  it("applies the cluster's over-commit", () => {
    expect(memory.filter(host({ committedMb: 16384 }), vm(), policy({ memoryOvercommitPercent: 150 }))).toBeNull();
    expect(memory.filter(host({ committedMb: 20481 }), vm(), policy({ memoryOvercommitPercent: 150 }))?.code).toBe('HOST_LACKS_MEMORY');
  });
});
