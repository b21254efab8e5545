import type { Database, Db } from './db.ts';
import { LockManager, type ActionLocks } from './actions/locks.ts';
import { RedisLocks } from './actions/redisLocks.ts';
import { EngineCluster } from './cluster/engineCluster.ts';
import { NO_OTHER_ENGINES, RedisAgentPresence } from './cluster/agentPresence.ts';
import { ChangeFeed } from './changes/changeFeed.ts';
import { createEnginePubSub, type PubSub } from './pubsub.ts';
import { Monitoring, type MonitoringOptions } from './monitoring/monitoring.ts';
import { HostBroker } from './agents/hostBroker.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { VmWatch } from './jobs/vmWatch.ts';
import { LoginService } from './auth/login.ts';
import { PermissionVersion } from './auth/permissionVersion.ts';
import type { DirectoryProfile } from './auth/directoryConfig.ts';
import { Warehouse, type WarehouseOptions } from './warehouse/rollup.ts';
import { EngineMetrics } from './metrics/engineMetrics.ts';
import { AlertEvaluator } from './alerts/evaluator.ts';
import type { MailSettings } from './alerts/alertMail.ts';
import { ReportScheduler } from './reports/scheduler.ts';
import { DEFAULT_BALANCER, type BalancerSettings } from './balancer/loadCluster.ts';
import { randomBytes } from 'node:crypto';
import { SecretBox } from './fencing/secretBox.ts';
import { PowerManagement } from './fencing/powerManagement.ts';
import { DEFAULT_SEARCH_PATH, type FenceProgramSettings } from './fencing/fenceProgram.ts';
import { SpmElection } from './storage/spm.ts';

/** The engine's shared services, made once per process and handed to every request. */
export interface Engine {
  db: Db;
  database: Database;
  pubsub: PubSub;
  /** Action locks: this process's, or every engine's through Redis (REDIS_URL). */
  locks: ActionLocks;
  /** The change feed from the database (`changes(after:)`): replays what a client missed, then streams. */
  changes: ChangeFeed;
  /** This engine among the engines sharing the database: its id, and whether it leads (runs the cluster-wide loops). */
  cluster: EngineCluster;
  monitoring: Monitoring;
  /** The verbs the engine asks of hosts, through their agents. */
  hosts: HostBroker;
  /** Each data center's storage manager host (SPM), which does the image work that changes volume chains. */
  spm: SpmElection;
  /** Places VMs on hosts; one per engine, so the memory promised to starts in flight is shared by all actions. */
  scheduler: Scheduler;
  /** Waits for VMs to reach a state as monitoring records it (one subscription for all waiters). */
  vmWatch: VmWatch;
  login: LoginService;
  permissionVersion: PermissionVersion;
  /** Rolls samples up into hourly and daily tables and applies their retention. */
  warehouse: Warehouse;
  /** Prometheus metrics: the engine's own figures and the inventory's latest stats (GET /metrics). */
  metrics: EngineMetrics;
  /**
   * Checks a webhook's subscription document (the GraphQL layer sets it: server/ parses no GraphQL);
   * `problem` says why a document cannot be one, or null.
   */
  subscriptionDocuments: { problem: (query: string) => string | null };
  /** Evaluates the alert rules against monitoring's stream and the event log. */
  alerts: AlertEvaluator;
  /** Makes the scheduled reports when they are due, keeps and mails them. */
  reportSchedules: ReportScheduler;
  /** The engine's clock (monitoring stamps samples with it; the warehouse rolls up by it). */
  now: () => Date;
  /** Seals and opens the secrets the engine keeps (fence agents' passwords). */
  secrets: SecretBox;
  /** Hosts' power management: their fence agents and the fence-agent programs. */
  power: PowerManagement;
  /** How the balancer (server/balancer/balancer.ts, started by main.ts) runs, and what balancePlan assumes. */
  balancing: BalancerSettings;
  /** VM leases: how long a lease lasts without renewal (its holder renews it every quarter of that). */
  leases: { timeoutMs: number };
  /** Power saving: how long a host powered on for a placement has to come Up, and the power-ons under way by host (server/powerSaving/). */
  powerSaving: { bootTimeoutMs: number; poweringOn: Map<string, Promise<string | null>> };
}

export interface EngineOptions {
  monitoring?: MonitoringOptions;
  /** LDAP directory profiles users can log in from. */
  directories?: DirectoryProfile[];
  warehouse?: WarehouseOptions;
  /** Where alert e-mail goes out (none: rules with recipients log ALERT_EMAIL_FAILED). */
  mail?: MailSettings | null;
  /** The key secrets are sealed with (32 bytes; server/fencing/secretBox.ts loadSecretKey). Default: a random one for this process only. */
  secretKey?: Buffer;
  /** Where the fence-agent programs are and how long one may run. */
  fencing?: Partial<FenceProgramSettings>;
  /** The balancer's interval, quiet period and migrations per cycle (tests shorten them). */
  balancer?: Partial<BalancerSettings>;
  /** redis:// URL shared by several engines (default REDIS_URL): events, action locks, log-in limits, agent presence. */
  redisUrl?: string;
  /** How often a follower engine tries to become leader (ms, default 1000). */
  leaderRetryMs?: number;
  /** VM leases' timeout (ms, default 20 s; VIREO_LEASE_TIMEOUT_MS). */
  leaseTimeoutMs?: number;
  /** How long a host powered on by power saving has to come Up (ms, default 10 minutes). */
  powerOnTimeoutMs?: number;
}

export function createEngine(database: Database, opts: EngineOptions = {}): Engine {
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL;
  const pubsub = createEnginePubSub(redisUrl);
  // One clock for the engine: tests move it through the monitoring option.
  const now = opts.monitoring?.now ?? (() => new Date());
  const metrics = new EngineMetrics();
  // PGlite is one connection: its report transactions wait in monitoring's queue, not in Prisma's (2 s).
  const monitoring = new Monitoring(database.db, pubsub, {
    maxTransactions: database.kind === 'embedded' ? 1 : 10,
    reports: metrics.reports,
    ...opts.monitoring,
  });
  metrics.attach(database.db, monitoring);
  const alerts = new AlertEvaluator(database.db, pubsub, now, opts.mail ?? null);
  monitoring.observe((outcome) => alerts.observe(outcome));
  const secrets = new SecretBox(opts.secretKey ?? randomBytes(32));
  const power = new PowerManagement(database.db, secrets, {
    searchPath: opts.fencing?.searchPath ?? DEFAULT_SEARCH_PATH,
    timeoutMs: opts.fencing?.timeoutMs ?? 30_000,
  });
  const cluster = new EngineCluster(database.db, {
    ...(database.url ? { url: database.url } : {}),
    ...(opts.leaderRetryMs ? { retryMs: opts.leaderRetryMs } : {}),
  });
  const hosts = new HostBroker(pubsub, redisUrl ? new RedisAgentPresence(redisUrl, cluster.id) : NO_OTHER_ENGINES);
  return {
    balancing: { ...DEFAULT_BALANCER, ...opts.balancer },
    leases: { timeoutMs: opts.leaseTimeoutMs ?? (Number(process.env.VIREO_LEASE_TIMEOUT_MS) || 20_000) },
    powerSaving: { bootTimeoutMs: opts.powerOnTimeoutMs ?? 10 * 60_000, poweringOn: new Map() },
    secrets,
    power,
    now,
    db: database.db,
    database,
    pubsub,
    locks: redisUrl ? new RedisLocks(redisUrl) : new LockManager(),
    cluster,
    changes: new ChangeFeed(database.db, pubsub),
    metrics,
    alerts,
    subscriptionDocuments: { problem: () => 'the GraphQL schema is not loaded in this process' },
    monitoring,
    hosts,
    spm: new SpmElection(database.db, pubsub, hosts),
    scheduler: new Scheduler(),
    vmWatch: new VmWatch(database.db, pubsub),
    login: new LoginService(database.db, opts.directories ?? [], redisUrl),
    permissionVersion: new PermissionVersion(pubsub),
    warehouse: new Warehouse(database.db, { now, ...opts.warehouse }),
    reportSchedules: new ReportScheduler(
      { db: database.db, pubsub, now, reportIntervalMs: monitoring.reportIntervalMs },
      opts.mail ?? null,
    ),
  };
}
