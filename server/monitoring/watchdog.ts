// Hosts that stop reporting become NonResponsive, and their VMs Unknown, within
// `timeoutMs + checkEveryMs`. The clock is injected so tests move time by hand.
import type { HostStatus } from '../../generated/prisma/enums.ts';

/** Statuses in which a host is expected to report. */
const EXPECTED_TO_REPORT: readonly HostStatus[] = [
  'UP',
  'CONNECTING',
  'INITIALIZING',
  'PREPARING_FOR_MAINTENANCE',
  'NON_OPERATIONAL',
  'MAINTENANCE',
];

export interface WatchedHost {
  id: string;
  status: HostStatus;
  lastSeenAt: Date | null;
}

/**
 * PURE: the hosts silent for longer than the timeout. Silence is counted from `watchingSince`
 * at the earliest: after an engine restart every host's last report is old, and agents need
 * a moment to reconnect before anyone is declared NonResponsive.
 */
export function silentHosts(hosts: WatchedHost[], now: Date, timeoutMs: number, watchingSince = new Date(0)): string[] {
  return hosts
    .filter(
      (h) =>
        EXPECTED_TO_REPORT.includes(h.status) &&
        h.lastSeenAt !== null &&
        now.getTime() - Math.max(h.lastSeenAt.getTime(), watchingSince.getTime()) > timeoutMs,
    )
    .map((h) => h.id);
}

export interface WatchdogDeps {
  /** Hosts that should be reporting, with when they last did. */
  load(): Promise<WatchedHost[]>;
  /** Marks one host NonResponsive (serialised with its reports). */
  markNonResponsive(hostId: string, now: Date): Promise<void>;
  now(): Date;
  timeoutMs: number;
}

export class Watchdog {
  private timer: NodeJS.Timeout | null = null;
  private readonly since: Date;

  constructor(private readonly deps: WatchdogDeps) {
    this.since = deps.now();
  }

  /** One pass; returns the hosts it marked. */
  async check(now = this.deps.now()): Promise<string[]> {
    const silent = silentHosts(await this.deps.load(), now, this.deps.timeoutMs, this.since);
    for (const id of silent) await this.deps.markNonResponsive(id, now);
    return silent;
  }

  start(everyMs: number) {
    this.timer ??= setInterval(() => {
      this.check().catch((err) => console.error('watchdog:', err));
    }, everyMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
