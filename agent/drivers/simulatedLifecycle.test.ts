// The simulated hypervisor's lifecycle verbs: reboot, suspend to disk and restore, live
// migration between two hypervisors on one fabric (progress, hand-over, cancel, lost
// destination), and the faults the engine's tests inject.
import { describe, expect, it } from 'vitest';
import { SimulatedHypervisor } from './simulated.ts';

const spec = { id: '11111111-1111-4111-8111-111111111111', name: 'web01', memoryMb: 2048, vcpus: 2, osType: 'rhel_9x64' };

function pair() {
  let t = 1_000_000;
  const fabric = new Map<string, SimulatedHypervisor>();
  const opts = { now: () => t, bootMs: 1000, migrateMs: 4000, saveMs: 500, restoreMs: 500, fabric };
  const a = new SimulatedHypervisor({ hostName: 'a', ...opts });
  const b = new SimulatedHypervisor({ hostName: 'b', ...opts });
  return {
    a,
    b,
    fabric,
    advance: (ms: number) => {
      t += ms;
    },
  };
}
const state = async (h: SimulatedHypervisor) => (await h.stats()).domains.find((d) => d.id === spec.id);

describe('SimulatedHypervisor lifecycle', () => {
  it('reboots through RebootInProgress', async () => {
    const { a, advance } = pair();
    await a.start(spec);
    advance(2000);
    await a.reboot(spec.id);
    expect((await state(a))?.state).toBe('REBOOT_IN_PROGRESS');
    advance(1000);
    expect((await state(a))?.state).toBe('UP');
  });

  it('suspends to disk (Down, exit reason SAVED) and restores', async () => {
    const { a, advance } = pair();
    await a.start(spec);
    advance(2000);
    await a.hibernate(spec.id);
    expect((await state(a))?.state).toBe('SAVING_STATE');
    advance(500);
    expect(await state(a)).toMatchObject({ state: 'DOWN', exitReason: 'SAVED' });
    await a.start(spec, { restoreState: true });
    expect((await state(a))?.state).toBe('RESTORING_STATE');
    advance(500);
    expect((await state(a))?.state).toBe('UP');
  });

  it('migrates: progress on the source, then the destination runs the guest with its uptime', async () => {
    const { a, b, advance } = pair();
    await a.start(spec);
    advance(61_000);
    await expect(a.migrate(spec.id, 'b')).rejects.toThrow('destination b does not wait for web01');
    await b.start(spec, { incomingMigration: true });
    await a.migrate(spec.id, 'b');
    advance(2000);
    expect(await state(a)).toMatchObject({ state: 'MIGRATING_FROM', migrationProgress: 50 });
    expect((await state(b))?.state).toBe('MIGRATING_TO');
    advance(2000);
    expect(await state(a)).toMatchObject({ state: 'DOWN', exitReason: 'MIGRATED' });
    const moved = await state(b);
    expect(moved?.state).toBe('UP');
    expect(moved?.sample.uptimeSeconds).toBeGreaterThanOrEqual(60);
  });

  it('a canceled migration, or a lost destination, leaves the VM Up on the source with the reason', async () => {
    const { a, b, fabric, advance } = pair();
    await a.start(spec);
    advance(2000);
    await b.start(spec, { incomingMigration: true });
    await a.migrate(spec.id, 'b');
    await a.cancelMigration(spec.id);
    expect(await state(a)).toMatchObject({ state: 'UP', migrationError: 'the migration was canceled' });
    expect((await state(a))?.migrationError).toBeUndefined(); // reported once
    expect((await state(b))?.state).toBe('DOWN');

    await b.start(spec, { incomingMigration: true });
    await a.migrate(spec.id, 'b');
    advance(1000);
    fabric.delete('b');
    expect(await state(a)).toMatchObject({ state: 'UP', migrationError: 'lost the connection to destination host b' });
  });

  it('faults: a command that never returns, a guest that ignores shutdown', async () => {
    const { a, advance } = pair();
    await a.start(spec);
    advance(2000);
    a.inject({ kind: 'ignoreShutdown', vmId: spec.id });
    await a.shutdown(spec.id);
    advance(10_000);
    expect((await state(a))?.state).toBe('UP');
    a.inject({ kind: 'hangNextCommand' });
    const hung = await Promise.race([a.pause(spec.id).then(() => 'returned'), new Promise((r) => setTimeout(() => r('hung'), 50))]);
    expect(hung).toBe('hung');
    await a.pause(spec.id);
    expect((await state(a))?.state).toBe('PAUSED');
  });
});
