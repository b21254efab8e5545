// The engine's Prometheus metrics (prom-client): its own figures (reports, monitoring's queue,
// open subscriptions, action latencies) and the hosts' and VMs' latest stats (inventoryGauges.ts).
// One registry per engine, so several engines in one process (tests) keep their figures apart.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type OpenMetricsContentType } from 'prom-client';
import type { Db } from '../db.ts';
import type { Monitoring } from '../monitoring/monitoring.ts';
import { registerInventoryGauges, type Registers } from './inventoryGauges.ts';

function openMetricsRegistry(): Registry<OpenMetricsContentType> {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}

export class EngineMetrics {
  /** The same metrics in Prometheus's text format and in OpenMetrics (what a scraper's Accept header asks for). */
  readonly registry = new Registry();
  readonly openMetrics = openMetricsRegistry();
  private readonly registers: Registers = [this.registry, this.openMetrics];
  /** Agent reports applied (rate() of it is reports/s). */
  readonly reports = new Counter({
    name: 'vireo_agent_reports_total',
    help: 'Agent reports applied by monitoring.',
    registers: this.registers,
  });
  /** GraphQL subscriptions open now, over WebSocket and SSE. */
  readonly subscriptions = new Gauge({
    name: 'vireo_subscriptions_open',
    help: 'GraphQL subscriptions open now (WebSocket and SSE).',
    registers: this.registers,
  });
  /** Time from an action's start to its result (a followed job's outcome comes later and is not in it). */
  readonly actionDuration = new Histogram({
    name: 'vireo_action_duration_seconds',
    help: "Time to run an action, by action type (oVirt's name) and outcome (succeeded, refused, failed).",
    labelNames: ['action', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: this.registers,
  });

  /** The gauges read at scrape time: monitoring's queue and the inventory's latest stats. */
  attach(db: Db, monitoring: Monitoring) {
    new Gauge({
      name: 'vireo_monitoring_queue_jobs',
      help: 'Monitoring jobs (reports, hellos) by state: running in a transaction slot, or waiting for one.',
      labelNames: ['state'] as const,
      registers: this.registers,
      collect() {
        this.set({ state: 'running' }, monitoring.queue.inFlight);
        this.set({ state: 'waiting' }, monitoring.queue.waitingForSlot);
      },
    });
    registerInventoryGauges(this.registers, db, monitoring.live);
    for (const register of this.registers) collectDefaultMetrics({ register });
    return this;
  }

  /** Times an action: `done(outcome)` records it. */
  timeAction(action: string) {
    const end = this.actionDuration.startTimer({ action });
    return (outcome: 'succeeded' | 'refused' | 'failed') => {
      end({ outcome });
    };
  }
}
