// Days of samples for the warehouse tests, sent the way an agent sends them: reports over the API,
// stamped by the engine's clock, which the test moves (the engine's `now`; the agent's own
// `sampledAt` is not what history stores). Three reports an hour, at :05, :25 and :45.
import type { TestEngine } from '../support/testEngine.ts';
import { domain, hello, hostWithToken, report, send } from '../monitoring/support.ts';

export const HOUR = 3_600_000;
export const T0 = Date.parse('2026-10-01T00:00:00Z');
export const MINUTES = [5, 25, 45];

/** The host's CPU % at a report: a figure per hour (0, 10 … 90) plus the report's place in the hour. */
export const hostCpu = (hour: number, k: number) => (hour % 10) * 10 + k;
/** The VM's CPU % at the same report. */
export const vmCpu = (hour: number, k: number) => hostCpu(hour, k) / 2;

export interface Clock {
  at: number;
}

/** A test engine whose clock the test sets (`clock.at`). */
export function clocked(clock: Clock) {
  return { monitoring: { now: () => new Date(clock.at) } };
}

export async function reportingHost(t: TestEngine, clock: Clock, name: string, vmId: string) {
  const host = await hostWithToken(t, name);
  clock.at = T0;
  const res = await send(t, 'hello', host, hello);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  let seq = 0;
  /** One report at `at` on the engine's clock: the host at `cpu` %, its VM at half that. Not yet flushed to history. */
  const reportAt = async (at: number, cpu: number) => {
    clock.at = at;
    const r = report(++seq, [
      domain(vmId, `${name}-vm`, 'UP', {
        sample: { cpuPercent: cpu / 2, netRxBps: 1, netTxBps: 1, diskReadBps: 1, diskWriteBps: 1, uptimeSeconds: 60 },
      }),
    ]);
    Object.assign(r.host, { cpuUserPercent: cpu, cpuSysPercent: 0, cpuIdlePercent: 100 - cpu });
    const out = await send(t, 'report', host, r);
    if (out.errors) throw new Error(JSON.stringify(out.errors));
  };
  /** Reports hours [from, to) of T0, three a time; history is flushed as the engine's timer would. */
  const reportHours = async (from: number, to: number) => {
    for (let h = from; h < to; h++)
      for (const [k, minute] of MINUTES.entries()) await reportAt(T0 + h * HOUR + minute * 60_000, hostCpu(h, k));
    await t.engine.monitoring.history.flush();
  };
  return { ...host, reportAt, reportHours };
}
