// The monitoring service: authenticates agents, runs each host's reports one at a time
// through analyze → apply → publish, and watches for hosts that fall silent.
import type { Db } from '../db.ts';
import type { PubSub } from '../pubsub.ts';
import type { AgentHello, AgentReport } from '../../protocol/messages.ts';
import { agentTokenMatches } from './agentToken.ts';
import { applyHello } from './applyHello.ts';
import { applyReport } from './applyReport.ts';
import { applyNonResponsive } from './applyNonResponsive.ts';
import { AgentBroker } from './broker.ts';
import { SampleBuffer } from './history.ts';
import { Watchdog } from './watchdog.ts';

export interface MonitoringOptions {
  now?: () => Date;
  /** How often agents are asked to report. */
  reportIntervalMs?: number;
  /** Silence after which a host is NonResponsive (default: 3 report intervals + 4 s). */
  timeoutMs?: number;
}

export interface AgentHost { id: string; name: string; clusterId: string }

export class Monitoring {
  readonly history: SampleBuffer;
  readonly watchdog: Watchdog;
  readonly broker: AgentBroker;
  readonly reportIntervalMs: number;
  readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly db: Db, private readonly pubsub: PubSub, opts: MonitoringOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.reportIntervalMs = opts.reportIntervalMs ?? 2000;
    this.timeoutMs = opts.timeoutMs ?? 3 * this.reportIntervalMs + 4000;
    this.history = new SampleBuffer(db);
    this.broker = new AgentBroker(pubsub);
    this.watchdog = new Watchdog({
      now: this.now,
      timeoutMs: this.timeoutMs,
      load: () => db.host.findMany({ where: { lastSeenAt: { not: null } }, select: { id: true, status: true, lastSeenAt: true } }),
      markNonResponsive: (hostId, now) => this.serial(hostId, () => this.nonResponsive(hostId, now)),
    });
  }

  /** The host whose agent presents this token, or null. */
  async authenticate(hostName: string, token: string): Promise<AgentHost | null> {
    const host = await this.db.host.findUnique({ where: { name: hostName }, select: { id: true, name: true, clusterId: true, agentTokenHash: true } });
    if (!host || !agentTokenMatches(token, host.agentTokenHash)) return null;
    return { id: host.id, name: host.name, clusterId: host.clusterId };
  }

  hello(host: AgentHost, hello: AgentHello): Promise<void> {
    return this.serial(host.id, () => applyHello(this.db, host.id, hello, this.now()));
  }

  report(host: AgentHost, report: AgentReport): Promise<void> {
    return this.serial(host.id, async () => {
      const now = this.now();
      const out = await applyReport(this.db, host.id, report, now);
      if (out.hostChanged) this.pubsub.publish('host:changed', { id: host.id, kind: 'updated' });
      for (const id of out.vmsCreated) this.pubsub.publish('vm:changed', { id, kind: 'created' });
      for (const id of out.vmsChanged) this.pubsub.publish('vm:changed', { id, kind: 'updated' });
      for (const id of out.auditIds) this.pubsub.publish('audit:created', { id });
      this.pubsub.publish('host:stats', out.hostStats);
      for (const s of out.vmStats) this.pubsub.publish('vm:stats', s);
      for (const m of out.migrations) this.pubsub.publish('vm:migration', m);
      const { hostId, clusterId: _c, ...h } = out.hostStats;
      this.history.add(
        [{ hostId, sampledAt: now, cpuPercent: h.cpuUserPercent + h.cpuSysPercent, cpuLoad: h.cpuLoad, memUsedMb: h.memUsedMb, memFreeMb: h.memFreeMb, swapUsedMb: h.swapUsedMb, netRxBps: h.netRxBps, netTxBps: h.netTxBps, runningVms: h.runningVms }],
        out.vmStats.map((v) => ({ vmId: v.vmId, hostId, sampledAt: now, cpuPercent: v.cpuPercent, memUsedMb: v.memUsedMb, netRxBps: v.netRxBps, netTxBps: v.netTxBps, diskReadBps: v.diskReadBps, diskWriteBps: v.diskWriteBps })),
      );
    });
  }

  start() {
    this.watchdog.start(1000);
    this.history.start(10_000);
  }

  async stop() {
    this.watchdog.stop();
    await Promise.allSettled([...this.queues.values()]);
    await this.history.stop();
    await this.broker.close();
  }

  private async nonResponsive(hostId: string, now: Date) {
    const out = await applyNonResponsive(this.db, hostId, now, this.timeoutMs);
    if (out.hostChanged) this.pubsub.publish('host:changed', { id: hostId, kind: 'updated' });
    for (const id of out.vmsChanged) this.pubsub.publish('vm:changed', { id, kind: 'updated' });
    for (const id of out.auditIds) this.pubsub.publish('audit:created', { id });
  }

  /** Runs fn after every earlier job of the same host: one host's reports never interleave. */
  private serial<T>(hostId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(hostId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.queues.set(hostId, next);
    void next.finally(() => { if (this.queues.get(hostId) === next) this.queues.delete(hostId); }).catch(() => undefined);
    return next;
  }
}
