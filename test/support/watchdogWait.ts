// Waiting for a host's status as monitoring stores it, the watchdog run on its real clock (tests give it a short timeout).
import { expect, vi } from 'vitest';
import type { TestEngine } from './testEngine.ts';

export async function hostStatus(t: TestEngine, hostId: string) {
  return (await t.engine.db.host.findUniqueOrThrow({ where: { id: hostId } })).status;
}

/** Runs the watchdog until it has found the host NonResponsive. */
export async function untilNonResponsive(t: TestEngine, hostId: string) {
  await vi.waitFor(
    async () => {
      await t.engine.monitoring.watchdog.check();
      expect(await hostStatus(t, hostId)).toBe('NON_RESPONSIVE');
    },
    { timeout: 20_000, interval: 200 },
  );
}
