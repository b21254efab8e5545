// Restarts highly available VMs whose host is known not to run them any more (HaRestart rows,
// written with the VMs' release by fencing or a confirmed reboot): highest haPriority first, a few
// at a time, each through runVm (placement, locks, job) as the engine; a failed start is tried
// again after a back-off, each attempt an event. While the engine is behind with host reports the
// restarts wait: a slow engine is no reason to act on what its reports have not told it yet.
import type { Engine } from '../engine.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { startAction } from '../actions/runAction.ts';
import { runVm } from '../actions/vm/lifecycle/runVm.ts';
import { recordEvents } from '../actions/actionEvents.ts';
import { VireoError } from '../errors.ts';
import type { AuditOf } from '../actions/defineAction.ts';

export interface HaRestarterOptions {
  /** Starts in flight at once (default 10). */
  parallel?: number;
  /** Attempts before a VM is given up (default 10). */
  maxAttempts?: number;
  /** Wait before attempt n+1 after n failed (default 5 s doubling to 5 min). */
  backoffMs?: (failedAttempts: number) => number;
  /** How often due restarts are looked for while any is queued (default 1 s). */
  pollMs?: number;
}

export function defaultBackoffMs(failed: number): number {
  return Math.min(300_000, 5000 * 2 ** Math.max(0, failed - 1));
}

export class HaRestarter {
  private readonly parallel: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (n: number) => number;
  private readonly pollMs: number;
  private timer: NodeJS.Timeout | null = null;
  private passing: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<string>();
  private kicks: AsyncIterator<unknown> | null = null;
  private suspendedSaid = false;

  constructor(
    private readonly engine: Engine,
    opts: HaRestarterOptions = {},
  ) {
    this.parallel = opts.parallel ?? 10;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.backoffMs = opts.backoffMs ?? defaultBackoffMs;
    this.pollMs = opts.pollMs ?? 1000;
  }

  /** Looks at once (restarts an engine killed earlier left queued), then whenever VMs are queued. */
  start() {
    // A highly available VM its own host reports Down with an error (it crashed, or the host came back without it) restarts too.
    this.engine.monitoring.observe((o) => {
      if (o.vmsChanged.length && !this.stopped) void this.queueFailed(o.vmsChanged).catch((err) => console.error('HA restarts:', err));
    });
    this.kicks = this.engine.pubsub.subscribe('ha:restart')[Symbol.asyncIterator]();
    void (async () => {
      for (;;) {
        const next = await this.kicks!.next();
        if (next.done) return;
        this.kick();
      }
    })();
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.kicks?.return?.();
    await this.passing;
  }

  /** Runs a pass now, or right after the one under way. */
  kick() {
    if (this.stopped) return;
    if (this.passing !== null) {
      this.again = true;
      return;
    }
    this.passing = (async () => {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch (err) {
          console.error('HA restarts:', err);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.passing = null;
    });
  }

  /** Settles when no restart is queued or in flight (tests, benchmarks). */
  async idle(): Promise<void> {
    while ((await this.engine.db.haRestart.count()) > 0 || this.inFlight.size) await new Promise((r) => setTimeout(r, 50));
  }

  private async queueFailed(vmIds: string[]) {
    const down = await this.engine.db.vm.findMany({
      where: { id: { in: vmIds }, highlyAvailable: true, status: 'DOWN', haRestart: null },
      select: { id: true },
    });
    const failed: { id: string }[] = [];
    for (const v of down) {
      const last = await this.engine.db.auditLog.findFirst({
        where: { vmId: v.id },
        orderBy: { createdAt: 'desc' },
        select: { code: true },
      });
      if (last?.code === 'VM_DOWN_ERROR') failed.push(v);
    }
    if (!failed.length) return;
    await this.engine.db.haRestart.createMany({
      data: failed.map((v) => ({ vmId: v.id, since: this.engine.now() })),
      skipDuplicates: true,
    });
    this.kick();
  }

  private async pass() {
    const lagMs = this.engine.monitoring.reportLagMs();
    if (this.engine.monitoring.behind()) {
      if (!this.suspendedSaid && (await this.engine.db.haRestart.count()) > 0) {
        this.suspendedSaid = true;
        await recordEvents(this.engine, SYSTEM_ACTOR, [{ code: 'HA_RESTARTS_SUSPENDED', vars: { seconds: Math.round(lagMs / 1000) } }]);
      }
      return;
    }
    this.suspendedSaid = false;
    const free = this.parallel - this.inFlight.size;
    if (free <= 0) return;
    const due = await this.engine.db.haRestart.findMany({
      where: { nextAttemptAt: { lte: this.engine.now() }, vmId: { notIn: [...this.inFlight] } },
      include: { vm: { select: { id: true, name: true, status: true, clusterId: true, highlyAvailable: true, haPriority: true } } },
      orderBy: [{ vm: { haPriority: 'desc' } }, { since: 'asc' }],
      take: free,
    });
    for (const row of due) {
      this.inFlight.add(row.vmId);
      void this.attempt(row.vm, row.attempts + 1)
        .catch((e: unknown) => console.error(`HA restart of ${row.vm.name}:`, e)) // its row stays: the next pass tries again
        .finally(() => {
          this.inFlight.delete(row.vmId);
          this.kick();
        });
    }
  }

  private async attempt(vm: { id: string; name: string; status: string; clusterId: string; highlyAvailable: boolean }, attempt: number) {
    const objects = { vmId: vm.id, clusterId: vm.clusterId };
    // Someone ran it already, or it is no longer to be kept available: nothing left to do.
    if (vm.status !== 'DOWN' || !vm.highlyAvailable) {
      await this.engine.db.haRestart.deleteMany({ where: { vmId: vm.id } });
      return;
    }
    await this.say([{ code: 'HA_VM_RESTARTING', vars: { vmName: vm.name, attempt }, objects }]);
    let reason: string;
    try {
      const started = await startAction(this.engine, SYSTEM_ACTOR, runVm, { vmId: vm.id });
      if (await started.outcome) {
        await this.engine.db.haRestart.deleteMany({ where: { vmId: vm.id } });
        const host = started.result.host;
        await this.say([
          { code: 'HA_VM_RESTARTED', vars: { vmName: vm.name, hostName: host.name }, objects: { ...objects, hostId: host.id } },
        ]);
        return;
      }
      reason = `it did not come Up on host ${started.result.host.name}.`;
    } catch (err) {
      reason = err instanceof VireoError || err instanceof Error ? err.message : String(err);
    }
    if (!reason.endsWith('.')) reason += '.';
    if (attempt >= this.maxAttempts) {
      await this.engine.db.haRestart.deleteMany({ where: { vmId: vm.id } });
      await this.say([{ code: 'HA_VM_FAILED', vars: { vmName: vm.name, attempts: attempt, reason }, objects }]);
      return;
    }
    const wait = this.backoffMs(attempt);
    await this.engine.db.haRestart.updateMany({
      where: { vmId: vm.id },
      data: { attempts: attempt, lastError: reason, nextAttemptAt: new Date(this.engine.now().getTime() + wait) },
    });
    await this.say([
      { code: 'HA_VM_RESTART_FAILED', vars: { vmName: vm.name, attempt, reason, seconds: Math.round(wait / 1000) }, objects },
    ]);
  }

  private async say(events: AuditOf[]) {
    await recordEvents(this.engine, SYSTEM_ACTOR, events).catch((err) => console.error('HA restarts: could not write an event:', err));
  }
}
