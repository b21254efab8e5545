// Stopping the engine's HA services does not wait out a fencing flow's grace or back-off: the
// flow ends where it waits, doing nothing more (an engine stopping must not hang, nor fence then).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHighAvailability } from '../../server/ha/highAvailability.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { untilNonResponsive } from '../support/watchdogWait.ts';
import { startLab, type Lab } from '../vm/lifecycleSupport.ts';

let t: TestEngine;
let lab: Lab;

beforeAll(async () => {
  t = await startTestEngine({ engine: { monitoring: { timeoutMs: 1500 } } });
  lab = await startLab(t, 'fs', 2);
});

afterAll(async () => {
  await lab?.stop();
  await t?.engine.monitoring.stop();
  await t?.close();
});

it('stops at once while a fencing flow waits out its grace, and the flow does nothing more', async () => {
  const ha = startHighAvailability(t.engine, { fencing: { graceMs: 60_000, recheckMs: 200 } });
  const host = lab.hosts[0]!;
  await host.agent.stop();
  await untilNonResponsive(t, host.id);
  await new Promise((r) => setTimeout(r, 500)); // the flow has started and waits
  const started = performance.now();
  await ha.stop();
  expect(performance.now() - started).toBeLessThan(3000);
  await new Promise((r) => setTimeout(r, 500));
  const codes = (await t.engine.db.auditLog.findMany({ where: { hostId: host.id } })).map((e) => e.code);
  expect(codes.filter((c) => c.startsWith('VDS_SOFT_FENCE') || c.startsWith('VDS_HARD_FENCE'))).toEqual([]);
});
