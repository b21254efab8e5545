// The monitoring service: authenticates agents, runs each host's reports one at a time
// through analyze → apply → publish, and watches for hosts that fall silent.
import type { Db } from '../db.ts';
import type { EntityChange, HostStatsEvent, PubSub, VmStatsEvent } from '../pubsub.ts';
import type { AgentHello, AgentReport, NetworkLayout } from '../../protocol/messages.ts';
import { agentTokenMatches } from './agentToken.ts';
import { applyHello } from './applyHello.ts';
import { applyReport } from './applyReport.ts';
import { applyNonResponsive } from './applyNonResponsive.ts';
import { applyDomainHealth } from './applyDomainHealth.ts';
import { SampleBuffer, reportSamples } from './history.ts';
import { HostQueue } from './hostQueue.ts';
import { LiveStats, hostStatsEvent, vmStatsEvent } from './liveStats.ts';
import { samplesBeforeApply } from './reportStats.ts';
import { SettledHosts, sameState } from './settledHosts.ts';
import { Watchdog } from './watchdog.ts';

export interface MonitoringOptions {
  now?: () => Date;
  /** How often agents are asked to report. */
  reportIntervalMs?: number;
  /** Silence after which a host is NonResponsive (default: 3 report intervals + 4 s). */
  timeoutMs?: number;
  /** Monitoring transactions in flight at once, all hosts together (default 10: the size of the pg pool Prisma's adapter makes). */
  maxTransactions?: number;
  /** Counts the reports applied (the metrics' counter). */
  reports?: { inc(n?: number): void };
  /**
   * How far behind with reports (the oldest report waiting to be applied) the engine may be before
   * it stops declaring hosts NonResponsive, fencing and restarting HA VMs (default: 2 report intervals, at least 3 s).
   */
  maxReportLagMs?: number;
  /** How often the latest stats and the history samples kept in memory are written to the database (default 2 s): what a crash may lose. */
  flushIntervalMs?: number;
}

export interface AgentHost {
  id: string;
  name: string;
  clusterId: string;
}

/** What one report (or a host turning NonResponsive) changed, for observers such as the alert rules. */
export interface MonitoringOutcome {
  hostId: string;
  /** The report's host sample (none when the host stopped reporting). */
  hostStats?: HostStatsEvent;
  vmStats: VmStatsEvent[];
  hostChanged: boolean;
  vmsChanged: string[];
}

/** Reports of one host that arrived while an earlier job of that host ran: applied as one. */
interface QueuedReports {
  reports: ArrivedReport[];
  done: Promise<void>;
}

/** A report as it arrived, and the VMs whose samples were published then (before its transaction). */
interface ArrivedReport {
  report: AgentReport;
  now: Date;
  published: ReadonlySet<string>;
}

export class Monitoring {
  readonly history: SampleBuffer;
  /** The latest stats of every host and VM reporting here, in memory first (read them here before the database). */
  readonly live: LiveStats;
  readonly flushIntervalMs: number;
  /** Hosts whose reports need no transaction while they say the same. */
  private readonly settled: SettledHosts;
  readonly watchdog: Watchdog;
  readonly reportIntervalMs: number;
  readonly timeoutMs: number;
  readonly maxLagMs: number;
  readonly queue: HostQueue;
  /** Per host, when its newest report arrived (by this engine's clock), applied or not. */
  private readonly arrivedAt = new Map<string, number>();
  /** Per host, when the oldest of its reports not yet applied arrived. */
  private readonly unapplied = new Map<string, number>();
  /**
   * When the engine was last found behind with reports (a report applied more than maxLagMs after
   * it arrived). Agents wait for the answer before they report again, so after the engine catches
   * up every host gets a full timeout from then before it can be judged silent.
   */
  private behindAt = 0;
  private readonly now: () => Date;
  private readonly reportsCounter: MonitoringOptions['reports'];
  private readonly queuedReports = new Map<string, QueuedReports>();
  /** Per host, the other hosts' VMs it claimed at its last report (refused; logged once per claim). */
  private readonly refusedClaims = new Map<string, Set<string>>();
  /** Per host, the running VMs its last applied report was allowed to sample: their next samples are published on arrival. */
  private readonly mine = new Map<string, Set<string>>();
  /** Per host, the storage domain health it last reported, as applied (unchanged health is written again only after a minute). */
  private readonly domainHealth = new Map<string, { key: string; at: number }>();
  /** Agents that presented a valid token, by host name; dropped when their host changes (a new token, a rename, a removal). */
  private readonly agents = new Map<string, { host: AgentHost; tokenHash: string }>();
  private hostChangeCount = 0;
  private readonly observers: ((outcome: MonitoringOutcome) => void)[] = [];
  private readonly hostChanges: AsyncIterator<EntityChange>;

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    opts: MonitoringOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.reportsCounter = opts.reports;
    this.reportIntervalMs = opts.reportIntervalMs ?? 2000;
    this.timeoutMs = opts.timeoutMs ?? 3 * this.reportIntervalMs + 4000;
    this.maxLagMs = opts.maxReportLagMs ?? Math.max(3000, 2 * this.reportIntervalMs);
    this.queue = new HostQueue(opts.maxTransactions ?? 10);
    this.history = new SampleBuffer(db);
    this.live = new LiveStats(db);
    this.settled = new SettledHosts(db, pubsub);
    this.flushIntervalMs = opts.flushIntervalMs ?? 2000;
    this.watchdog = new Watchdog({
      now: this.now,
      timeoutMs: this.timeoutMs,
      // Silence is judged by when reports arrived, not when they were applied: a report still
      // waiting in the queue is a sign of life, and while the queue is far behind nobody is judged.
      load: async () => {
        const now = this.now().getTime();
        if (this.reportLagMs() > this.maxLagMs) this.behindAt = now;
        if (now - this.behindAt <= this.timeoutMs) return [];
        // A host powered off through its power management is expected silent.
        const rows = await db.host.findMany({
          where: { lastSeenAt: { not: null }, poweredOff: false },
          select: { id: true, status: true, lastSeenAt: true },
        });
        return rows
          .filter((h) => !this.unapplied.has(h.id))
          .map((h) => {
            const arrived = this.arrivedAt.get(h.id);
            return arrived && arrived > (h.lastSeenAt?.getTime() ?? 0) ? { ...h, lastSeenAt: new Date(arrived) } : h;
          });
      },
      markNonResponsive: (hostId, now) => this.serial(hostId, () => this.nonResponsive(hostId, now)),
    });
    this.hostChanges = pubsub.subscribe('host:changed')[Symbol.asyncIterator]();
    void this.forgetChangedHosts();
  }

  /** The host whose agent presents this token, or null. Read from the database once, then again only after the host changes. */
  async authenticate(hostName: string, token: string): Promise<AgentHost | null> {
    const known = this.agents.get(hostName);
    if (known && agentTokenMatches(token, known.tokenHash)) return known.host;
    const changesBefore = this.hostChangeCount;
    const row = await this.db.host.findUnique({
      where: { name: hostName },
      select: { id: true, name: true, clusterId: true, agentTokenHash: true },
    });
    if (!row || !agentTokenMatches(token, row.agentTokenHash)) return null;
    const host = { id: row.id, name: row.name, clusterId: row.clusterId };
    // A host changed while we read: the row may predate it, so it is not remembered.
    if (changesBefore === this.hostChangeCount) this.agents.set(hostName, { host, tokenHash: row.agentTokenHash! });
    return host;
  }

  /** Records what the agent registered; returns the network layout to send back to it, if any. */
  hello(host: AgentHost, hello: AgentHello): Promise<NetworkLayout | null> {
    return this.serial(host.id, async () => {
      const out = await applyHello(this.db, host.id, hello, this.now());
      this.pubsub.publish('host:changed', { id: host.id, kind: 'updated' }); // its NICs and networks
      for (const id of out.auditIds) this.pubsub.publish('audit:created', { id });
      return out.resend;
    });
  }

  /**
   * Applies a report after the host's earlier jobs. A waiting report that the new one repeats
   * but for its samples is applied as one with it, the newest: both callers get the answer of
   * that one transaction, live subscribers the newest stats, history every report's samples.
   */
  report(host: AgentHost, report: AgentReport): Promise<void> {
    const now = this.now();
    const samples = this.publishSamples(host, report, now);
    const arrived: ArrivedReport = { report, now, published: new Set(samples.vms.map((v) => v.vmId)) };
    const t = arrived.now.getTime();
    this.arrivedAt.set(host.id, t);
    if (this.saysNothingNew(host.id, report, now)) {
      this.settledReport(host, report, now, samples);
      return Promise.resolve();
    }
    if (!this.unapplied.has(host.id)) this.unapplied.set(host.id, t);
    const queued = this.queuedReports.get(host.id);
    if (queued && onlySamplesDiffer(queued.reports[queued.reports.length - 1]!.report, report)) {
      queued.reports.push(arrived);
      return queued.done;
    }
    const reports = [arrived];
    const done = this.queue.run(host.id, async () => {
      this.queuedReports.delete(host.id); // later reports wait for the next turn
      try {
        if (this.now().getTime() - reports[0]!.now.getTime() > this.maxLagMs) this.behindAt = this.now().getTime();
        return await this.applyReports(host, reports);
      } finally {
        const next = this.queuedReports.get(host.id);
        if (next) this.unapplied.set(host.id, next.reports[0]!.now.getTime());
        else this.unapplied.delete(host.id);
      }
    });
    this.queuedReports.set(host.id, { reports, done });
    return done;
  }

  /**
   * The report's samples, to memory and to subscribers at once: the host's, and those of the VMs
   * it ran at its last applied report.
   */
  private publishSamples(host: AgentHost, report: AgentReport, now: Date) {
    const s = samplesBeforeApply(host.id, report, now, this.mine.get(host.id) ?? new Set(), this.refusedClaims.get(host.id) ?? new Set());
    this.live.putHost(s.host);
    const hostEvent = hostStatsEvent(s.host, host.clusterId);
    this.pubsub.publish('host:stats', host.clusterId, hostEvent);
    const vmEvents = s.vms.map((row) => {
      this.live.putVm(row);
      const e = vmStatsEvent(row, host.id, host.clusterId);
      this.pubsub.publish('vm:stats', host.clusterId, e);
      return e;
    });
    return { host: hostEvent, vms: vmEvents };
  }

  /**
   * The host is settled (its last applied report changed nothing, and nothing changed since), no
   * earlier job of it waits, and this report says the same again, storage health included.
   */
  private saysNothingNew(hostId: string, report: AgentReport, now: Date): boolean {
    const last = this.settled.settledReport(hostId);
    if (!last || this.queue.busy(hostId) || !sameState(last, report)) return false;
    if (!report.storageDomains) return true;
    const health = this.domainHealth.get(hostId);
    return health?.key === JSON.stringify(report.storageDomains) && now.getTime() - health.at < 60_000;
  }

  /** A report that changes nothing: no transaction; its samples (published already) go to history, its time to the next batch. */
  private settledReport(host: AgentHost, report: AgentReport, now: Date, samples: ReturnType<Monitoring['publishSamples']>) {
    this.live.seen(host.id, now);
    this.reportsCounter?.inc();
    const rows = reportSamples(host.id, report, now, this.mine.get(host.id) ?? new Set());
    this.history.add(rows.hosts, rows.vms);
    this.tell({ hostId: host.id, hostStats: samples.host, vmStats: samples.vms, hostChanged: false, vmsChanged: [] });
  }

  /** When this engine last received a report of the host (applied or not), if it did. */
  heardFrom(hostId: string): Date | undefined {
    const t = this.arrivedAt.get(hostId);
    return t === undefined ? undefined : new Date(t);
  }

  /** How long the oldest report not yet applied has waited (0 when none waits): how far behind the engine is. */
  reportLagMs(now = this.now()): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const t of this.unapplied.values()) if (t < oldest) oldest = t;
    return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, now.getTime() - oldest);
  }

  /** Whether the engine is, or was within the last timeout, too far behind with reports to judge hosts (no NonResponsive, fencing or HA restarts meanwhile). */
  behind(now = this.now()): boolean {
    return this.reportLagMs(now) > this.maxLagMs || now.getTime() - this.behindAt <= this.timeoutMs;
  }

  /** Calls `observer` after each report is applied and each host marked NonResponsive (after the commit). */
  observe(observer: (outcome: MonitoringOutcome) => void) {
    this.observers.push(observer);
  }

  private tell(outcome: MonitoringOutcome) {
    for (const o of this.observers) {
      try {
        o(outcome);
      } catch (e) {
        console.error('monitoring observer failed:', e);
      }
    }
  }

  /** `watchdog: false`: another engine leads and runs it (server/cluster/leaderLoops.ts starts it here when this one leads). */
  start(opts: { watchdog?: boolean } = {}) {
    if (opts.watchdog !== false) this.watchdog.start(1000);
    this.history.start(this.flushIntervalMs);
    this.live.start(this.flushIntervalMs);
  }

  async stop() {
    this.watchdog.stop();
    await this.queue.idle();
    await Promise.all([this.live.stop(), this.history.stop()]);
    await this.hostChanges.return?.();
    await this.settled.stop();
  }

  private async applyReports(host: AgentHost, reports: ArrivedReport[]) {
    const { report, now, published } = reports[reports.length - 1]!;
    const mark = this.settled.mark(host.id);
    const out = await applyReport(this.db, host.id, report, now, this.refusedClaims.get(host.id));
    if (out.refusedClaims.length) this.refusedClaims.set(host.id, new Set(out.refusedClaims));
    else this.refusedClaims.delete(host.id);
    if (out.hostChanged) this.pubsub.publish('host:changed', { id: host.id, kind: 'updated' });
    for (const id of out.vmsCreated) this.pubsub.publish('vm:changed', { id, kind: 'created' });
    for (const id of out.vmsChanged) this.pubsub.publish('vm:changed', { id, kind: 'updated' });
    for (const id of out.auditIds) this.pubsub.publish('audit:created', { id });
    // The samples of VMs this host was not known to run are published once the transaction let it report on them.
    for (const [i, row] of out.vmRows.entries()) {
      if (published.has(row.vmId)) continue;
      this.live.putVm(row);
      this.pubsub.publish('vm:stats', host.clusterId, out.vmStats[i]!);
    }
    this.mine.set(host.id, new Set(out.vmRows.map((r) => r.vmId)));
    if (out.changedNothing) this.settled.settle(host.id, mark, report, out.viewVms);
    else this.settled.unsettle(host.id);
    for (const m of out.migrations) this.pubsub.publish('vm:migration', m);
    if (report.storageDomains) await this.applyDomainHealth(host.id, report.storageDomains, now, out.hostChanged);
    // The older reports' samples, of the VMs the newest one sampled, go to history with their own time.
    this.reportsCounter?.inc(reports.length);
    this.tell({
      hostId: host.id,
      hostStats: out.hostStats,
      vmStats: out.vmStats,
      hostChanged: out.hostChanged,
      vmsChanged: [...out.vmsCreated, ...out.vmsChanged],
    });
    const sampled = new Set(out.vmStats.map((s) => s.vmId));
    for (const r of reports) {
      const rows = reportSamples(host.id, r.report, r.now, sampled);
      this.history.add(rows.hosts, rows.vms);
    }
  }

  /** The storage domains' health from a report, applied when it differs from the last (or the host's status just changed). */
  private async applyDomainHealth(hostId: string, health: NonNullable<AgentReport['storageDomains']>, now: Date, force: boolean) {
    const key = JSON.stringify(health);
    const last = this.domainHealth.get(hostId);
    if (!force && last?.key === key && now.getTime() - last.at < 60_000) return;
    const out = await applyDomainHealth(this.db, hostId, health, now);
    this.domainHealth.set(hostId, { key, at: now.getTime() });
    if (out.hostChanged) this.pubsub.publish('host:changed', { id: hostId, kind: 'updated' });
    for (const id of out.domainsChanged) this.pubsub.publish('storageDomain:changed', { id, kind: 'updated' });
    for (const id of out.auditIds) this.pubsub.publish('audit:created', { id });
  }

  private async nonResponsive(hostId: string, now: Date) {
    this.domainHealth.delete(hostId);
    this.mine.delete(hostId);
    const out = await applyNonResponsive(this.db, hostId, now, this.timeoutMs);
    if (out.hostChanged) this.pubsub.publish('host:changed', { id: hostId, kind: 'updated' });
    for (const id of out.vmsChanged) this.pubsub.publish('vm:changed', { id, kind: 'updated' });
    for (const id of out.auditIds) this.pubsub.publish('audit:created', { id });
    this.tell({ hostId, vmStats: [], hostChanged: out.hostChanged, vmsChanged: out.vmsChanged });
  }

  /** Any job but a report: runs in its turn, and reports arriving after it are not merged into earlier ones. */
  private serial<T>(hostId: string, fn: () => Promise<T>): Promise<T> {
    this.queuedReports.delete(hostId);
    this.settled.unsettle(hostId);
    return this.queue.run(hostId, fn);
  }

  private async forgetChangedHosts() {
    for (;;) {
      const next = await this.hostChanges.next();
      if (next.done) return;
      this.hostChangeCount++;
      for (const [name, a] of this.agents) if (a.host.id === next.value.id) this.agents.delete(name);
    }
  }
}

/**
 * The newer report says everything the older one said: the same domains in the same states, and
 * the older one carries no one-time news (a migration's failure). Dropping the older one then
 * loses only samples, never a state change or an exit the agent reports once.
 */
export function onlySamplesDiffer(older: AgentReport, newer: AgentReport): boolean {
  if (older.domains.length !== newer.domains.length) return false;
  const states = new Map(newer.domains.map((d) => [d.id, d.state]));
  return older.domains.every((d) => states.get(d.id) === d.state && d.migrationError === undefined);
}
