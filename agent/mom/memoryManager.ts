// The agent's MOM (memory overcommit manager): after a report's statistics, at most every few
// seconds, it applies the host's policy (balloonPlan.ts) through the driver (libvirt: virsh
// setmem; simulated: the guest's memory) and tells the engine what it changed, as events.
import type { MemoryEvent, MemoryPolicy, MemoryVm } from '../../protocol/messages.ts';
import type { DriverStats, HypervisorDriver } from '../driver.ts';
import { freePercent, planBalloons, planKsm } from './balloonPlan.ts';

export interface MemoryManagerOptions {
  /** Sends what MOM did to the engine. */
  report(events: MemoryEvent[]): Promise<void>;
  /** Least time between two rounds (default 2 s). */
  intervalMs?: number;
  log?: (message: string) => void;
}

interface TrackedVm {
  memoryMb: number;
  guaranteedMb: number;
  ballooning: boolean;
}

export class MemoryManager {
  private policy: MemoryPolicy | null = null;
  private readonly vms = new Map<string, TrackedVm>();
  private ksmRunning: boolean | null = null;
  /** KSM could not be switched: not tried again until the policy changes. */
  private ksmRefused = false;
  private lastRound = 0;
  private round: Promise<void> | null = null;
  private readonly log: (m: string) => void;

  constructor(
    private readonly driver: HypervisorDriver,
    private readonly opts: MemoryManagerOptions,
  ) {
    this.log = opts.log ?? ((m) => console.log(`[mom] ${m}`));
  }

  setPolicy(policy: MemoryPolicy): void {
    this.policy = policy;
    this.ksmRefused = false;
    this.lastRound = 0; // act on it with the next statistics
  }

  /** A VM started (or arrived, or found running after a restart) here: its memory, guaranteed memory and whether it may be ballooned. */
  track(spec: MemoryVm): void {
    this.vms.set(spec.id, {
      memoryMb: spec.memoryMb,
      guaranteedMb: spec.guaranteedMemoryMb ?? spec.memoryMb,
      ballooning: spec.ballooning ?? false,
    });
  }

  /** Runs a round on these statistics unless one runs or ran lately. */
  observe(stats: DriverStats, now = Date.now()): void {
    for (const d of stats.domains) if (d.state === 'DOWN') this.vms.delete(d.id);
    if (!this.policy || this.round || stats.hypervisorError || now - this.lastRound < (this.opts.intervalMs ?? 2000)) return;
    this.lastRound = now;
    this.round = this.act(this.policy, stats)
      .catch((err: Error) => this.log(`round failed: ${err.message}`))
      .finally(() => {
        this.round = null;
      });
  }

  /** Waits for the round under way, if any. */
  async idle(): Promise<void> {
    await this.round;
  }

  private async act(policy: MemoryPolicy, stats: DriverStats): Promise<void> {
    const free = freePercent(stats.host);
    const vms = stats.domains.flatMap((d) => {
      const t = this.vms.get(d.id);
      return t && d.state === 'UP' && d.balloonMb !== undefined ? [{ id: d.id, balloonMb: d.balloonMb, ...t }] : [];
    });
    const events: MemoryEvent[] = [];
    for (const c of planBalloons(policy, free, vms)) {
      try {
        await this.driver.setBalloon(c.vmId, c.toMb);
        events.push({ kind: 'balloon', ...c, freePercent: free });
      } catch (err) {
        this.log(`balloon of ${c.vmId} to ${c.toMb} MiB: ${(err as Error).message}`);
      }
    }
    const ksm = planKsm(policy, free, this.ksmRunning);
    if (ksm !== null && this.driver.setKsm && !this.ksmRefused) {
      try {
        if (await this.driver.setKsm(ksm)) {
          this.ksmRunning = ksm;
          events.push({ kind: 'ksm', running: ksm, freePercent: free });
        } else this.ksmRefused = true; // the host has no KSM
      } catch (err) {
        this.log(`KSM ${ksm ? 'on' : 'off'}: ${(err as Error).message}`);
        this.ksmRefused = true;
      }
    }
    if (events.length) await this.opts.report(events);
  }
}
