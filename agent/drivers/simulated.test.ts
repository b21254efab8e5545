import { describe, expect, it } from 'vitest';
import { SimulatedHypervisor } from './simulated.ts';
import { backoffMs } from '../session.ts';

const spec = { id: '11111111-1111-4111-8111-111111111111', name: 'web01', memoryMb: 2048, vcpus: 2, osType: 'rhel_9x64' };

function sim() {
  let t = 1_000_000;
  const driver = new SimulatedHypervisor({ hostName: 'h1', now: () => t, bootMs: 4000, shutdownMs: 3000 });
  return {
    driver,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('SimulatedHypervisor', () => {
  it('boots a VM over seconds; the guest agent answers once it is up', async () => {
    const { driver, advance } = sim();
    await driver.start(spec);
    expect((await driver.stats()).domains[0]).toMatchObject({ state: 'WAIT_FOR_LAUNCH', guest: null });
    advance(500);
    expect((await driver.stats()).domains[0]?.state).toBe('POWERING_UP');
    advance(4000);
    const up = (await driver.stats()).domains[0]!;
    expect(up.state).toBe('UP');
    expect(up.guest).toMatchObject({ hostname: 'web01.example.org', applications: expect.arrayContaining(['nginx-1.24.0']) });
    expect(up.guest!.memUsedMb).toBeGreaterThan(0);
    expect(up.guest!.memUsedMb).toBeLessThanOrEqual(2048);
  });

  it('shuts down over seconds, reports Down once, then forgets the domain', async () => {
    const { driver, advance } = sim();
    await driver.start(spec);
    advance(5000);
    await driver.shutdown(spec.id);
    expect((await driver.stats()).domains[0]?.state).toBe('POWERING_DOWN');
    advance(3000);
    expect((await driver.stats()).domains[0]).toMatchObject({ state: 'DOWN', exitReason: 'SHUTDOWN' });
    expect((await driver.stats()).domains).toEqual([]);
  });

  it('moves load over time and keeps it in range', async () => {
    const { driver, advance } = sim();
    const cpu: number[] = [];
    for (let i = 0; i < 30; i++) {
      advance(2000);
      const { host } = await driver.stats();
      expect(host.cpuUserPercent + host.cpuSysPercent + host.cpuIdlePercent).toBeCloseTo(100, 0);
      cpu.push(host.cpuUserPercent);
    }
    expect(new Set(cpu).size).toBeGreaterThan(10);
  });

  it('injects faults: a failed start, a crash, a stats error', async () => {
    const { driver, advance } = sim();
    driver.inject({ kind: 'failNextStart', message: 'no luck' });
    await expect(driver.start(spec)).rejects.toThrow('no luck');
    await driver.start(spec);
    advance(5000);
    driver.inject({ kind: 'crash', vmId: spec.id });
    expect((await driver.stats()).domains[0]).toMatchObject({ state: 'DOWN', exitReason: 'CRASHED' });
    driver.inject({ kind: 'statsError', times: 1 });
    await expect(driver.stats()).rejects.toThrow('simulated fault');
    await expect(driver.stats()).resolves.toBeDefined();
  });

  it('refuses a VM that does not fit in memory', async () => {
    const driver = new SimulatedHypervisor({ hostName: 'h1', memoryMb: 1024 });
    await expect(driver.start(spec)).rejects.toThrow('not enough memory');
  });
});

describe('backoffMs', () => {
  it('grows exponentially up to 30 s', () => {
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
    expect(backoffMs(20, () => 0)).toBe(15_000);
  });
});
