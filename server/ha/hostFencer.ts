// What the engine does when a host turns NonResponsive (oVirt's VdsNotRespondingTreatment):
// soft fencing first (its agent, if still connected, is asked to restart), then hard fencing (a
// restart through power management, which sets its VMs Down and queues the highly available ones
// for the HA restarter), each step an event. A host without power management stays NonResponsive,
// its VMs Unknown, until an administrator confirms it was rebooted. Never because the engine is
// slow: nothing is fenced while the engine is behind with reports, nor while more than the
// cluster's share of its hosts is NonResponsive at once (a network or engine problem, not dead hosts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from '../engine.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { runAction } from '../actions/runAction.ts';
import { fenceHost } from '../actions/fencing/fenceHost.ts';
import { recordEvents } from '../actions/actionEvents.ts';
import type { AuditOf } from '../actions/defineAction.ts';
import type { HostStatus } from '../../generated/prisma/enums.ts';
import type { LeaseRestarts } from './leaseRestarts.ts';
import { noPowerManagement } from './noPowerManagement.ts';

export interface HostFencerOptions {
  /** How long a soft-fenced host has to report again (default 30 s). */
  softFenceWaitMs?: number;
  /** Hard fencing attempts before giving up (default 3). */
  hardFenceAttempts?: number;
  /** Wait after a failed hard fencing attempt n (default 10 s doubling). */
  backoffMs?: (failedAttempts: number) => number;
  /** How often NonResponsive hosts whose fencing was put off are looked at again (default 5 s). */
  recheckMs?: number;
  /** Wait after a host turns NonResponsive before judging (hosts lost together are then counted together; default 5 s). */
  graceMs?: number;
}

/** Hosts that count in a cluster's share: those expected to be reachable. */
const COUNTED: HostStatus[] = [
  'UP',
  'NON_RESPONSIVE',
  'NON_OPERATIONAL',
  'PREPARING_FOR_MAINTENANCE',
  'CONNECTING',
  'INITIALIZING',
  'REBOOT',
];

interface Share {
  total: number;
  silent: number;
}

/** More of the cluster's hosts are silent than its fencing policy lets pass for dead hosts. */
const overShare = (s: Share, skipPercent: number) => s.total > 0 && s.silent * 100 > skipPercent * s.total;

type Done = 'fenced' | 'recovered' | 'no-power-management' | 'failed' | 'disabled';

export class HostFencer {
  private readonly softWaitMs: number;
  private readonly attempts: number;
  private readonly backoffMs: (n: number) => number;
  private readonly recheckMs: number;
  private readonly graceMs: number;
  /** Hosts whose NonResponsive spell was dealt with (until they report again). */
  private readonly done = new Map<string, Done>();
  /** The reason fencing of a host was last put off (said once per reason). */
  private readonly putOff = new Map<string, string>();
  private readonly flows = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Ends the flows' waits (grace, back-off, soft fencing) when the fencer stops. */
  private readonly halt = new AbortController();

  constructor(
    private readonly engine: Engine,
    opts: HostFencerOptions = {},
    /** A host that still renews its VMs' leases is alive: it is not fenced (oVirt's skip fencing if the storage is active). */
    private readonly leases: Pick<LeaseRestarts, 'stillRenewed'> | null = null,
  ) {
    this.softWaitMs = opts.softFenceWaitMs ?? 30_000;
    this.attempts = opts.hardFenceAttempts ?? 3;
    this.backoffMs = opts.backoffMs ?? ((n) => 10_000 * 2 ** (n - 1));
    this.recheckMs = opts.recheckMs ?? 5000;
    this.graceMs = opts.graceMs ?? 5000;
  }

  start() {
    this.engine.monitoring.observe((o) => {
      if (this.stopped) return;
      // A NonResponsive marking is the one outcome without a host sample.
      if (o.hostChanged && !o.hostStats) this.consider(o.hostId);
      else if (o.hostStats && (this.done.has(o.hostId) || this.putOff.has(o.hostId))) {
        this.done.delete(o.hostId);
        this.putOff.delete(o.hostId);
      }
    });
    this.timer = setInterval(() => void this.recheck(), this.recheckMs);
    this.timer.unref();
    void this.recheck();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.halt.abort();
    await Promise.allSettled([...this.flows.values()]);
  }

  /** Settles when no fencing flow runs (tests, benchmarks). */
  async idle() {
    while (this.flows.size) await Promise.allSettled([...this.flows.values()]);
  }

  /** Starts the flow for a NonResponsive host unless one runs or its spell was dealt with. */
  consider(hostId: string) {
    if (this.stopped || this.flows.has(hostId) || this.done.has(hostId)) return;
    const flow = this.handle(hostId)
      .catch((err) => {
        if (!this.stopped) console.error(`fencing of host ${hostId}:`, err);
      })
      .finally(() => this.flows.delete(hostId));
    this.flows.set(hostId, flow);
  }

  /**
   * Starts flows for NonResponsive hosts not dealt with. A host put off for a reason its cluster
   * shares (the engine behind, too many hosts silent) is looked at again only once that reason is
   * gone: a pass costs two statements however many hosts are silent, not a flow per host.
   */
  private async recheck() {
    if (this.stopped) return;
    try {
      const hosts = await this.engine.db.host.findMany({
        where: { status: 'NON_RESPONSIVE' },
        select: { id: true, clusterId: true, cluster: { select: { fencingSkipPercent: true } } },
      });
      const waiting = hosts.filter((h) => !this.flows.has(h.id) && !this.done.has(h.id));
      const behind = this.engine.monitoring.behind();
      const shares = waiting.some((h) => this.putOff.has(h.id)) ? await this.silentShares() : new Map<string, Share>();
      for (const h of waiting) {
        const share = shares.get(h.clusterId);
        if (this.putOff.has(h.id) && (behind || (share && overShare(share, h.cluster.fencingSkipPercent)))) continue;
        this.consider(h.id);
      }
    } catch (err) {
      console.error('fencing recheck:', err);
    }
  }

  /** Each cluster's hosts that count in its share, and how many of them are NonResponsive (one statement). */
  private async silentShares(clusterId?: string): Promise<Map<string, Share>> {
    const rows = await this.engine.db.host.groupBy({
      by: ['clusterId', 'status'],
      where: { status: { in: COUNTED }, ...(clusterId ? { clusterId } : {}) },
      _count: { _all: true },
    });
    const shares = new Map<string, Share>();
    for (const r of rows) {
      const share = shares.get(r.clusterId) ?? { total: 0, silent: 0 };
      share.total += r._count._all;
      if (r.status === 'NON_RESPONSIVE') share.silent += r._count._all;
      shares.set(r.clusterId, share);
    }
    return shares;
  }

  private async host(hostId: string) {
    return this.engine.db.host.findUnique({
      where: { id: hostId },
      select: {
        id: true,
        name: true,
        status: true,
        clusterId: true,
        cluster: { select: { name: true, fencingEnabled: true, fencingSkipPercent: true } },
      },
    });
  }

  /** Why the host may not be fenced now (null: it may); `hard`: power management is about to act (soft fencing harms nothing). */
  private async holdBack(host: NonNullable<Awaited<ReturnType<HostFencer['host']>>>, hard = false): Promise<string | null> {
    if (this.engine.monitoring.behind())
      return `the engine is, or was moments ago, behind with host reports (${Math.round(this.engine.monitoring.reportLagMs() / 1000)} s now); silence may be its own slowness.`;
    const share = (await this.silentShares(host.clusterId)).get(host.clusterId);
    if (share && overShare(share, host.cluster.fencingSkipPercent))
      return `${share.silent} of ${share.total} hosts of cluster ${host.cluster.name} are non responsive, more than ${host.cluster.fencingSkipPercent}%: a network or engine problem rather than dead hosts.`;
    if (!hard) return null;
    // Power fencing cannot be undone: only the engine that leads now (checked now, not a second ago) may do it.
    if (!(await this.engine.cluster.election.stillLeading()))
      return 'this engine could not confirm that it still leads the engines; the engine that leads now decides.';
    return (await this.leases?.stillRenewed(host.id)) ?? null;
  }

  private async handle(hostId: string): Promise<void> {
    await this.pause(this.graceMs);
    let host = await this.host(hostId);
    if (host?.status !== 'NON_RESPONSIVE') return;
    const objects = { hostId, clusterId: host.clusterId };
    const vars = { hostName: host.name };
    if (!host.cluster.fencingEnabled)
      return this.finish(hostId, 'disabled', [
        { code: 'VDS_FENCE_SKIPPED', vars: { ...vars, reason: `fencing is disabled in cluster ${host.cluster.name}.` }, objects },
      ]);
    const held = await this.holdBack(host);
    if (held) {
      if (this.putOff.get(hostId) !== held.replace(/\d+/g, '#')) {
        this.putOff.set(hostId, held.replace(/\d+/g, '#'));
        await this.say([{ code: 'VDS_FENCE_SKIPPED', vars: { ...vars, reason: held }, objects }]);
      }
      return; // looked at again by the recheck
    }
    this.putOff.delete(hostId);

    // Soft fencing: an agent that still holds its command channel but stopped reporting is asked to restart.
    if (this.engine.hosts.isConnected(hostId)) {
      await this.say([{ code: 'VDS_SOFT_FENCE_STARTED', vars, objects }]);
      let reason: string | null = null;
      try {
        await this.engine.hosts.restartAgent(host);
        if (await this.reportsAgain(hostId)) return this.finish(hostId, 'recovered', [{ code: 'VDS_SOFT_FENCE_SUCCEEDED', vars, objects }]);
        reason = `it did not report within ${Math.round(this.softWaitMs / 1000)} s of its agent's restart.`;
      } catch (err) {
        reason = `${(err as Error).message}.`;
      }
      await this.say([{ code: 'VDS_SOFT_FENCE_FAILED', vars: { ...vars, reason }, objects }]);
    } else {
      await this.say([
        {
          code: 'VDS_SOFT_FENCE_FAILED',
          vars: { ...vars, reason: 'its agent is not connected, so it cannot be asked to restart.' },
          objects,
        },
      ]);
    }

    // Hard fencing, if the host has power management and the rules still allow it.
    if (!(await this.engine.power.configured(hostId)))
      return this.finish(hostId, 'no-power-management', [await noPowerManagement(this.engine, host)]);
    let lastError = '';
    for (let attempt = 1; attempt <= this.attempts && !this.stopped; attempt++) {
      host = await this.host(hostId);
      if (host?.status !== 'NON_RESPONSIVE') return;
      const heldNow = await this.holdBack(host, true);
      if (heldNow) {
        this.putOff.set(hostId, heldNow.replace(/\d+/g, '#'));
        return this.say([{ code: 'VDS_FENCE_SKIPPED', vars: { ...vars, reason: heldNow }, objects }]);
      }
      await this.say([{ code: 'VDS_HARD_FENCE_STARTED', vars, objects }]);
      try {
        // The action writes FENCE_HOST_REBOOT (which agent, how many VMs went Down); HA restarts follow from its HaRestart rows.
        await runAction(this.engine, SYSTEM_ACTOR, fenceHost, { hostId, action: 'REBOOT' });
        return this.finish(hostId, 'fenced', []);
      } catch (err) {
        lastError = (err as Error).message;
      }
      if (attempt < this.attempts) await this.pause(this.backoffMs(attempt));
    }
    if (!this.stopped)
      await this.finish(hostId, 'failed', [{ code: 'VDS_HARD_FENCE_FAILED', vars: { ...vars, reason: lastError }, objects }]);
  }

  /** Waits for the host to leave NonResponsive (a report came), at most softFenceWaitMs. */
  private async reportsAgain(hostId: string): Promise<boolean> {
    const until = Date.now() + this.softWaitMs;
    while (Date.now() < until && !this.stopped) {
      const h = await this.engine.db.host.findUnique({ where: { id: hostId }, select: { status: true } });
      if (h && h.status !== 'NON_RESPONSIVE') return true;
      await this.pause(200);
    }
    return false;
  }

  /** Waits, unless the fencer stops meanwhile (then the flow ends there). */
  private pause(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.halt.signal });
  }

  private async finish(hostId: string, outcome: Done, events: AuditOf[]) {
    // A fenced or recovered host has left NonResponsive (it may already report again): nothing to remember.
    if (outcome !== 'fenced' && outcome !== 'recovered') this.done.set(hostId, outcome);
    await this.say(events);
  }

  private async say(events: AuditOf[]) {
    if (events.length)
      await recordEvents(this.engine, SYSTEM_ACTOR, events).catch((err) => console.error('fencing: could not write an event:', err));
  }
}
