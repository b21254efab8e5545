// Vireo at scale on one machine: ingest, fan-out, queries, actions, CPU and memory, each beside a
// limit measured in the same run on the same data. See "Benchmarks" in README.md.
//   node --import tsx bench/scale.ts [--quick] [--db pg|embedded] [--hosts 1000] [--vms 20] ...
// The engine is a separate process (node --import tsx server/main.ts, VIREO_DEMO=0, PORT=0);
// simulated agents and subscribers are worker processes speaking over 127.0.0.1 sockets.
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { openDatabase, type Database } from '../server/db.ts';
import { hashAgentToken } from '../server/monitoring/agentToken.ts';
import type { BenchHost } from './agents.ts';
import { BENCH_ADMIN_PASSWORD, type EngineHandle, gql, ROOT, startEngine } from './engineProcess.ts';
import { machineStat, pct, ProcMeter, procsStat } from './stats.ts';
import { redisAvailable, startRedis } from '../test/support/redisServer.ts';
import { startWorker, type Worker } from './workers.ts';
import { mainThreadProfile, summarizeProfile } from './profile.ts';

const { values: o } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    db: { type: 'string', default: 'pg' },
    'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres' },
    hosts: { type: 'string' },
    vms: { type: 'string' },
    interval: { type: 'string' },
    'max-hosts': { type: 'string' },
    steps: { type: 'string' },
    subs: { type: 'string' },
    'total-vms': { type: 'string' },
    window: { type: 'string' },
    actions: { type: 'string' },
    'latency-hosts': { type: 'string', default: '50' },
    'latency-interval': { type: 'string', default: '2000' },
    profile: { type: 'boolean', default: false },
    engines: { type: 'string', default: '1' },
    'keep-db': { type: 'boolean', default: false },
  },
});
const quick = o.quick!;
const num = (v: string | undefined, full: number, q: number) => Number(v ?? (quick ? q : full));
const HOSTS = num(o.hosts, 1000, 100);
const VMS = num(o.vms, 20, 20);
const INTERVAL = num(o.interval, 5000, 5000);
/** Issue 17's goal: 5,000 hosts × 20 VMs @5s on one engine; the full run looks that far. */
const GOAL_HOSTS = 5000;
const MAX_HOSTS = num(o['max-hosts'], Math.max(HOSTS * 2, GOAL_HOSTS), HOSTS * 2);
const STEPS = num(o.steps, 4, 2);
const SUBS = (o.subs ?? (quick ? '20,100' : '100,1000')).split(',').map(Number);
const TOTAL_VMS = Math.max(num(o['total-vms'], 100_000, 10_000), MAX_HOSTS * VMS + 1000);
const WINDOW_S = num(o.window, 45, 15);
const ACTIONS = num(o.actions, 1000, 100);
const LAT_HOSTS = Number(o['latency-hosts']);
const LAT_INTERVAL = Number(o['latency-interval']);
const HOSTS_PER_CLUSTER = 50;
const EMBEDDED = o.db === 'embedded';
/** Engines sharing the database and a Redis (agents and subscribers spread over them); 1: one engine, no Redis. */
const ENGINES = Number(o.engines);
if (!(ENGINES >= 1) || (ENGINES > 1 && EMBEDDED)) {
  console.error('--engines N: N ≥ 1, and several engines need PostgreSQL (not --db embedded)');
  process.exit(2);
}

const log = (m: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);
const rows: [string, string, string, string][] = []; // figure, vireo, limit, ratio
const notes: string[] = [];
const f = (n: number, d = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a';
function row(figure: string, vireo: number, limit: number, unit = '', d = 0) {
  // Always Vireo / limit: below 1 for rates (the share of the limit reached), above 1 for times and CPU (how many times the limit).
  const ratio = Number.isFinite(vireo) && Number.isFinite(limit) && vireo > 0 && limit > 0 ? vireo / limit : NaN;
  const r = !Number.isFinite(ratio) ? '-' : ratio >= 10 ? `${f(ratio, 0)}×` : `${Number(ratio.toPrecision(2))}×`;
  rows.push([figure, `${f(vireo, d)}${unit}`, Number.isFinite(limit) ? `${f(limit, d)}${unit}` : '-', r]);
}
function textRow(figure: string, vireo: string, limit = '-', ratio = '-') {
  rows.push([figure, vireo, limit, ratio]);
}

// ------------------------------------------------------------------ the machine before we start
const load0 = os.loadavg();
const m0 = machineStat();
await sleep(2000);
const m1 = machineStat();
const busyBefore = (100 * (m1.busy - m0.busy)) / (m1.total - m0.total);
log(
  `machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, busy ${busyBefore.toFixed(0)}% before start, loadavg ${load0.map((l) => l.toFixed(2)).join(' ')}`,
);

// ------------------------------------------------------------------ database
let startedPg = false;
let dbName = '';
let databaseUrl = '';
let dataDir = '';
const cleanups: (() => Promise<void>)[] = [];

if (EMBEDDED) {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-bench-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
} else {
  const serverUrl = o['pg-url']!;
  const probe = async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.end();
  };
  try {
    await probe();
  } catch {
    log("PostgreSQL not reachable: starting Debian's cluster 15/main");
    execFileSync('pg_ctlcluster', ['15', 'main', 'start'], { stdio: 'inherit' });
    execFileSync('su', ['postgres', '-c', 'psql -qc "ALTER USER postgres PASSWORD \'postgres\'"'], { stdio: 'inherit' });
    startedPg = true;
    await probe();
  }
  dbName = `vireo_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  databaseUrl = u.toString();
  cleanups.push(async () => {
    if (o['keep-db']) return log(`kept database ${dbName}`);
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  });
  if (startedPg)
    cleanups.push(async () => {
      execFileSync('pg_ctlcluster', ['15', 'main', 'stop']);
    });
}
const engineEnv: Record<string, string> = EMBEDDED ? { DATABASE_URL: '', VIREO_DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl };
if (ENGINES > 1) {
  if (!redisAvailable) throw new Error('--engines needs redis-server (bash .ci/peers.sh installs it)');
  // One Redis and one data dir (the secret key file the first engine writes and the others read).
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-bench-engines-'));
  cleanups.push(async () => fs.rmSync(shared, { recursive: true, force: true }));
  Object.assign(engineEnv, { REDIS_URL: redis.url, VIREO_DATA_DIR: shared });
}
const openBenchDb = () => (EMBEDDED ? openDatabase({ dataDir: path.join(dataDir, 'pglite') }) : openDatabase({ url: databaseUrl }));

// ------------------------------------------------------------------ seed (straight into the database, before the engine starts)
interface Seeded {
  hosts: BenchHost[];
  clusters: string[];
  downVms: { id: string; clusterId: string }[];
}
async function seed(): Promise<Seeded> {
  const t0 = performance.now();
  const database = await openBenchDb();
  const db = database.db;
  const dc = await db.dataCenter.create({ data: { name: 'bench-dc' } });
  const nClusters = Math.ceil(Math.max(MAX_HOSTS, LAT_HOSTS) / HOSTS_PER_CLUSTER);
  const clusters: string[] = [];
  for (let c = 0; c < nClusters; c++)
    clusters.push((await db.cluster.create({ data: { name: `bench-cluster-${String(c).padStart(3, '0')}`, dataCenterId: dc.id } })).id);
  const hosts: BenchHost[] = [];
  const hostRows = [];
  for (let i = 0; i < Math.max(MAX_HOSTS, LAT_HOSTS); i++) {
    const name = `bench-host-${String(i).padStart(5, '0')}`;
    const token = `bench-token-${i}-${randomUUID()}`;
    const id = randomUUID();
    const clusterId = clusters[Math.floor(i / HOSTS_PER_CLUSTER)]!;
    hostRows.push({
      id,
      name,
      address: `${name}.bench.example`,
      clusterId,
      status: 'NON_RESPONSIVE' as const,
      agentTokenHash: hashAgentToken(token),
      memoryMb: 1024 * 1024,
      cpuSockets: 2,
      cpuCores: 8,
      cpuThreads: 2,
    });
    hosts.push({ id, name, token, clusterId, vms: [] });
  }
  for (let i = 0; i < hostRows.length; i += 2000) await db.host.createMany({ data: hostRows.slice(i, i + 2000) });
  let vmRows: any[] = [];
  const flush = async () => {
    if (vmRows.length) await db.vm.createMany({ data: vmRows });
    vmRows = [];
  };
  let n = 0;
  for (const h of hosts) {
    for (let j = 0; j < VMS; j++, n++) {
      const id = randomUUID();
      const memoryMb = 1024 * (1 + (n % 8));
      vmRows.push({
        id,
        name: `vm-${String(n).padStart(6, '0')}`,
        clusterId: h.clusterId,
        hostId: h.id,
        status: 'UP',
        memoryMb,
        guaranteedMemoryMb: memoryMb,
        cpuCores: 2,
        osType: 'rhel_9x64',
      });
      h.vms.push({ id, name: `vm-${String(n).padStart(6, '0')}`, memoryMb, vcpus: 2, osType: 'rhel_9x64' });
      if (vmRows.length >= 5000) await flush();
    }
  }
  const downVms: { id: string; clusterId: string }[] = [];
  for (; n < TOTAL_VMS; n++) {
    const id = randomUUID();
    const memoryMb = 1024 * (1 + (n % 8));
    downVms.push({ id, clusterId: clusters[n % clusters.length]! });
    vmRows.push({
      id,
      name: `vm-${String(n).padStart(6, '0')}`,
      clusterId: downVms[downVms.length - 1]!.clusterId,
      status: 'DOWN',
      memoryMb,
      guaranteedMemoryMb: memoryMb,
      cpuCores: 2,
      osType: 'rhel_9x64',
    });
    if (vmRows.length >= 5000) await flush();
  }
  await flush();
  await database.close();
  log(
    `seeded ${hosts.length} hosts in ${clusters.length} clusters, ${n} VMs (${hosts.length * VMS} running) in ${Math.round(performance.now() - t0)} ms`,
  );
  return { hosts, clusters, downVms };
}

// ------------------------------------------------------------------ measurement pieces
/** Where agents and subscribers connect: every engine (set once they run), spread round-robin. */
let engineUrls: string[] = [];
interface Window {
  t0: Date;
  t1: Date;
  hosts: number;
  reports: number;
  failed: number;
  engine: ReturnType<ProcMeter['stop']>;
  agentsCpu: number;
  answered: { p50: number; p99: number };
  /** How long the hosts took to come back Up from NonResponsive before the window (Vireo only). */
  bringUpMs?: number;
}

async function startAgents(mode: 'vireo' | 'raw', url: string, hosts: BenchHost[], intervalMs: number): Promise<Worker[]> {
  // At most 1,000 hosts per process; the hosts of one process start spread over one interval.
  const workers: Worker[] = [];
  for (let i = 0; i < hosts.length; i += 1000) {
    const w = startWorker('agents.ts', {});
    await w.next('ready');
    const spread = mode === 'vireo' && engineUrls.length > 1 ? { urls: engineUrls, first: i } : {};
    w.send({ type: 'start', mode, url, ...spread, intervalMs, spreadMs: intervalMs, hosts: hosts.slice(i, i + 1000) });
    workers.push(w);
  }
  await Promise.all(workers.map((w) => w.next('started', intervalMs + 120_000)));
  return workers;
}
async function agentCounters(workers: Worker[]) {
  const all = await Promise.all(
    workers.map(async (w) => {
      w.send({ type: 'collect' });
      return w.next('counters');
    }),
  );
  const failures = new Map<string, number>();
  for (const c of all) for (const [m, n] of (c.failures ?? []) as [string, number][]) failures.set(m, (failures.get(m) ?? 0) + n);
  const sent = all.reduce((s, c) => s + c.sent, 0);
  // Sample → engine's answer since the previous collect: workers' p50 weighted by their reports, the worst p99.
  const answered = {
    p50: all.reduce((s, c) => s + c.answeredP50 * c.sent, 0) / Math.max(1, sent),
    p99: Math.max(...all.map((c) => c.answeredP99)),
  };
  return { sent, failed: all.reduce((s, c) => s + c.failed + c.helloRefused, 0), failures, answered };
}
async function startSubs(
  mode: 'vireo' | 'raw',
  url: string,
  token: string | undefined,
  subs: { cluster: string; kind: 'host' | 'vm' }[],
): Promise<Worker[]> {
  const workers: Worker[] = [];
  for (let i = 0; i < subs.length; i += 500) {
    const w = startWorker('subscribers.ts', {});
    await w.next('ready');
    const spread = mode === 'vireo' && engineUrls.length > 1 ? { urls: engineUrls, first: i } : {};
    w.send({ type: 'start', mode, url, ...spread, token, subs: subs.slice(i, i + 500) });
    workers.push(w);
  }
  const started = await Promise.all(workers.map((w) => w.next('started', 120_000)));
  const connected = started.reduce((s, x) => s + x.connected, 0);
  if (connected < subs.length) notes.push(`${mode}: only ${connected} of ${subs.length} subscribers connected`);
  return workers;
}
async function subsReset(workers: Worker[]) {
  await Promise.all(
    workers.map(async (w) => {
      w.send({ type: 'reset' });
      await w.next('reset');
    }),
  );
}
async function subsCollect(workers: Worker[]) {
  const all = await Promise.all(
    workers.map(async (w) => {
      w.send({ type: 'collect' });
      return w.next('counters');
    }),
  );
  // Percentiles of the workers' percentiles, weighted by what each received (workers see alike traffic).
  const total = all.reduce((s, c) => s + c.received, 0);
  const wavg = (k: 'p50' | 'p99') => all.reduce((s, c) => s + (c.received ? c[k] * c.received : 0), 0) / Math.max(1, total);
  return {
    received: total,
    perSec: all.reduce((s, c) => s + c.perSec, 0),
    p50: wavg('p50'),
    p99: all.length === 1 ? all[0].p99 : Math.max(...all.map((c) => c.p99)),
    errors: all.reduce((s, c) => s + c.errors, 0),
  };
}
const stopAll = (ws: Worker[]) => Promise.all(ws.map((w) => w.stop()));

/** Runs the agents for a warm-up then a measured window; engine CPU/RSS over the window. */
async function ingestWindow(
  workers: Worker[],
  enginePid: number | readonly number[],
  hosts: number,
  intervalMs: number,
  seconds: number,
  during?: (until: number) => Promise<void>,
  hostIds?: string[],
): Promise<Window> {
  // Vireo's hosts come back from NonResponsive (a hello and a first report each, with their VMs):
  // the window measures the steady state after that, and the bring-up is a figure of its own.
  let bringUpMs: number | undefined;
  if (hostIds && poolSql) {
    const sql: Sql = poolSql;
    const t = performance.now();
    const deadline = Date.now() + Math.max(120_000, hostIds.length * 100);
    for (;;) {
      const res = (await sql(`SELECT count(*)::int n FROM "Host" WHERE id = ANY($1::uuid[]) AND status = 'UP'`, [hostIds])) as {
        rows: { n: number }[];
      };
      if (res.rows[0]!.n >= hostIds.length) break;
      if (Date.now() > deadline) {
        log(
          `  bring-up: only ${res.rows[0]!.n} of ${hostIds.length} hosts Up after ${Math.round((performance.now() - t) / 1000)} s; measuring anyway`,
        );
        break;
      }
      await sleep(1000);
    }
    bringUpMs = performance.now() - t;
    log(`  bring-up: ${hostIds.length} hosts Up in ${(bringUpMs / 1000).toFixed(1)} s`);
  }
  await sleep(2 * intervalMs + 2000); // every host has said hello and reported twice
  const c0 = await agentCounters(workers);
  const meter = new ProcMeter(enginePid);
  const agentMeters = workers.map((w) => new ProcMeter(w.child.pid!));
  const t0 = new Date();
  const until = Date.now() + seconds * 1000;
  await Promise.all([sleep(seconds * 1000), during?.(until)]);
  const t1 = new Date();
  const engine = meter.stop();
  const agentsCpu = agentMeters.reduce((s, m) => s + m.stop().cpuPct, 0);
  const c1 = await agentCounters(workers);
  for (const [m, n] of c1.failures) notes.push(`${hosts} hosts: agents logged ${n} × "${m}" (whole run of these agents)`);
  return {
    t0,
    t1,
    hosts,
    reports: c1.sent - c0.sent - (c1.failed - c0.failed),
    failed: c1.failed - c0.failed,
    engine,
    agentsCpu,
    answered: c1.answered,
    bringUpMs,
  };
}

// ------------------------------------------------------------------ queries
const DASHBOARD = fs.readFileSync(path.join(ROOT, 'ui/src/graphql/dashboard.ts'), 'utf8').match(/graphql\(`([\s\S]*?)`\)/)![1]!;
const VM_PAGE = `query BenchVmPage($f: VmFilter) { vms(first: 100, filter: $f, sortBy: MEMORY, direction: DESC) { totalCount edges { node { id name status memoryMb } } } }`;
const VM_FILTER = { status: ['DOWN'], nameContains: '7' };
type Sql = (text: string, params?: unknown[]) => Promise<unknown>;
const SQL_DASHBOARD: [string, unknown[]][] = [
  [`SELECT id, name, status FROM "DataCenter" ORDER BY name ASC, id ASC LIMIT 51`, []],
  [
    `SELECT (SELECT count(*) FROM "DataCenter") dcs, (SELECT count(*) FROM "Cluster") clusters, (SELECT count(*) FROM "Host") hosts,
      (SELECT count(*) FROM "Host" WHERE status = 'UP') up, (SELECT count(*) FROM "Host" WHERE status IN ('MAINTENANCE','PREPARING_FOR_MAINTENANCE')) maint,
      (SELECT count(*) FROM "Host" WHERE status IN ('DOWN','NON_RESPONSIVE','NON_OPERATIONAL','ERROR','INSTALL_FAILED')) down,
      (SELECT count(*) FROM "Vm") vms, (SELECT count(*) FROM "Vm" WHERE status IN ('UP','POWERING_UP','MIGRATING_FROM','MIGRATING_TO','REBOOT_IN_PROGRESS')) vms_up,
      (SELECT count(*) FROM "Vm" WHERE status = 'DOWN') vms_down, (SELECT count(*) FROM "Vm" WHERE status IN ('NOT_RESPONDING','UNKNOWN','IMAGE_ILLEGAL','PAUSED')) trouble,
      (SELECT count(*) FROM "StorageDomain") sds`,
    [],
  ],
  [`SELECT id, name, status, "domainType", "capacityBytes", "usedBytes" FROM "StorageDomain" ORDER BY name ASC, id ASC LIMIT 101`, []],
];
const SQL_VM_PAGE: [string, unknown[]][] = [
  [
    `SELECT id, name, status, "memoryMb" FROM "Vm" WHERE status = ANY($1::"VmStatus"[]) AND name ILIKE $2 ORDER BY "memoryMb" DESC, id DESC LIMIT 101`,
    [['DOWN'], '%7%'],
  ],
  [`SELECT count(*) FROM "Vm" WHERE status = ANY($1::"VmStatus"[]) AND name ILIKE $2`, [['DOWN'], '%7%']],
];
interface QueryTimes {
  gqlDash: number[];
  gqlPage: number[];
  sqlDash: number[];
  sqlPage: number[];
}
const timed = async (list: number[], fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  list.push(performance.now() - t);
};
async function queryLoop(url: string, token: string, sql: Sql | null, until: number, times: QueryTimes, maxEach = 2000) {
  for (let i = 0; Date.now() < until && i < maxEach; i++) {
    await timed(times.gqlDash, () => gql(url, DASHBOARD, {}, token));
    await timed(times.gqlPage, () => gql(url, VM_PAGE, { f: VM_FILTER }, token));
    if (sql) {
      const query: Sql = sql;
      await timed(times.sqlDash, async () => {
        for (const [q, p] of SQL_DASHBOARD) await query(q, p);
      });
      await timed(times.sqlPage, async () => {
        for (const [q, p] of SQL_VM_PAGE) await query(q, p);
      });
    }
    await sleep(50); // a person at a dashboard, not a load generator
  }
}
async function sqlOnly(sql: Sql, n: number, times: QueryTimes) {
  for (let i = 0; i < n; i++) {
    await timed(times.sqlDash, async () => {
      for (const [q, p] of SQL_DASHBOARD) await sql(q, p);
    });
    await timed(times.sqlPage, async () => {
      for (const [q, p] of SQL_VM_PAGE) await sql(q, p);
    });
  }
}

// ------------------------------------------------------------------ ingest limit: the same samples with plain SQL
const HOST_COLS = [
  'hostId',
  'sampledAt',
  'cpuPercent',
  'cpuLoad',
  'memUsedMb',
  'memFreeMb',
  'swapUsedMb',
  'netRxBps',
  'netTxBps',
  'runningVms',
];
const VM_COLS = ['vmId', 'hostId', 'sampledAt', 'cpuPercent', 'memUsedMb', 'netRxBps', 'netTxBps', 'diskReadBps', 'diskWriteBps'];
function sampleRows(hosts: BenchHost[], reports: number) {
  // Bench rows carry a sampledAt in 2000 so they are never confused with the engine's.
  const at = new Date('2000-01-01T00:00:00Z');
  const h: unknown[][] = [];
  const v: unknown[][] = [];
  for (let r = 0; r < reports; r++) {
    const host = hosts[r % hosts.length]!;
    h.push([host.id, at, 12.5, 3.2, 40000, 200000, 0, 1e6, 5e5, host.vms.length]);
    for (const vm of host.vms) v.push([vm.id, host.id, at, 20.5, 1500, 1e5, 6e4, 2e5, 8e4]);
  }
  return { h, v };
}
async function insertRows(sql: Sql, table: string, cols: string[], data: unknown[][], batch = 1000) {
  for (let i = 0; i < data.length; i += batch) {
    const chunk = data.slice(i, i + batch);
    const params: unknown[] = [];
    const tuples = chunk.map(
      (r) =>
        `(${r
          .map((x) => {
            params.push(x);
            return `$${params.length}`;
          })
          .join(',')})`,
    );
    await sql(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES ${tuples.join(',')}`, params);
  }
}
function copyRows(table: string, cols: string[], data: unknown[][]): Promise<void> {
  const csv = `${data.map((r) => r.map((x) => (x instanceof Date ? x.toISOString() : String(x))).join(',')).join('\n')}\n`;
  return new Promise((resolve, reject) => {
    const p = spawn(
      'psql',
      [databaseUrl, '-qc', `\\copy "${table}" (${cols.map((c) => `"${c}"`).join(',')}) FROM STDIN WITH (FORMAT csv)`],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql \\copy exited ${code}`))));
    p.stdin.end(csv);
  });
}

// ------------------------------------------------------------------ actions: start VMs through the API
/** Starts ACTIONS Down VMs with runVm (10 in flight) while `size` hosts report; time per call and where they went. */
async function runVms(mutation: string, size: number) {
  const hosts = seeded.hosts.slice(0, size);
  const active = new Set(hosts.map((h) => h.clusterId));
  const vms = seeded.downVms.filter((v) => active.has(v.clusterId)).slice(0, ACTIONS);
  log(`actions: ${mutation} of ${vms.length} VMs, 10 at a time, while ${size} hosts report`);
  const agents = await startAgents('vireo', engine.url, hosts, INTERVAL);
  await sleep(INTERVAL + 2000);
  const q = `mutation BenchRun($i: RunVmInput!) { ${mutation}(input: $i) { __typename ... on MutationRunVmSuccess { result { vm { host { id } } } } ... on Error { message } } }`;
  const times: number[] = [];
  const perHost = new Map<string, number>();
  const errors = new Map<string, number>();
  const meter = new ProcMeter(enginePids);
  const t0 = performance.now();
  const deadline = Date.now() + 180_000;
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < vms.length && Date.now() < deadline) {
        const vm = vms[next++]!;
        const t = performance.now();
        try {
          const r = (await gql(engine.url, q, { i: { id: encodeGlobalID('Vm', vm.id) } }, token))[mutation];
          times.push(performance.now() - t);
          if (r.__typename === 'MutationRunVmSuccess') {
            const h = r.result.vm?.host?.id ?? '?';
            perHost.set(h, (perHost.get(h) ?? 0) + 1);
          } else
            errors.set(`${r.__typename}: ${r.message}`.slice(0, 120), (errors.get(`${r.__typename}: ${r.message}`.slice(0, 120)) ?? 0) + 1);
        } catch (e) {
          times.push(performance.now() - t);
          const m = (e as Error).message.slice(0, 120);
          errors.set(m, (errors.get(m) ?? 0) + 1);
        }
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = meter.stop();
  await stopAll(agents);
  const ok = [...perHost.values()].reduce((a, b) => a + b, 0);
  const counts = [...perHost.values()];
  textRow(
    `Actions: ${mutation} ${vms.length} VMs (10 in flight, ${size} hosts reporting)`,
    `${ok} started in ${f(wall, 1)} s (${f(ok / wall, 1)}/s), ${times.length - ok} refused${times.length < vms.length ? `, ${vms.length - times.length} not tried (180 s cap)` : ''}`,
  );
  row(`Actions: ${mutation} latency p50 (placement + agent accepted)`, pct(times, 50), NaN, ' ms', 1);
  row(`Actions: ${mutation} latency p99`, pct(times, 99), NaN, ' ms', 1);
  if (counts.length)
    textRow(
      'Actions: placement, VMs per host (min / max over hosts used)',
      `${Math.min(...counts)} / ${Math.max(...counts)} on ${counts.length} of ${size} hosts`,
    );
  textRow(`Actions: engine CPU while starting`, `${f(cpu.cpuPct)}% of a core`);
  for (const [m, n] of errors) notes.push(`${mutation}: ${n} × ${m}`);
}

// ------------------------------------------------------------------ the run
const seeded = await seed();
const cpuProfDir = path.join(ROOT, 'bench', '.profiles');
if (o.profile) fs.mkdirSync(cpuProfDir, { recursive: true });
const profStart = Date.now();
// One after the other: the first makes the secret key file (and leads); only the first is profiled.
const engines: EngineHandle[] = [];
for (let i = 0; i < ENGINES; i++)
  engines.push(
    await startEngine(
      { ...engineEnv, VIREO_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD },
      o.profile && i === 0 ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [],
    ),
  );
const engine = engines[0]!;
const enginePids = engines.map((e) => e.pid);
engineUrls = engines.map((e) => e.url);
for (const e of engines)
  log(
    `engine pid ${e.pid} at ${e.url} (${EMBEDDED ? 'embedded database' : `PostgreSQL, database ${dbName}`}${ENGINES > 1 ? ', Redis' : ''})`,
  );
const token: string = (
  await gql(
    engine.url,
    `mutation($p: String!) { login(input: { userName: "admin", password: $p }) { ... on MutationLoginSuccess { session { token } } ... on Error { message } } }`,
    { p: BENCH_ADMIN_PASSWORD },
  )
).login.session.token;
// Idle: after the log-in (its password hash is the costliest request there is), 5 s with no agent.
await sleep(1000);
const idle = new ProcMeter(enginePids);
await sleep(5000);
const idleStat = idle.stop();
// The engine's resident memory over the whole run, every 5 s: flat, or growing?
const rssOverRun: { t: number; mb: number }[] = [];
const rssTimer = setInterval(() => {
  const st = procsStat(enginePids);
  if (st) rssOverRun.push({ t: Date.now(), mb: st.rssMb });
}, 5000);
rssTimer.unref();
const pool = EMBEDDED ? null : new pg.Pool({ connectionString: databaseUrl, max: 4 });
const poolSql: Sql | null = pool ? (q, p) => pool.query(q, p as unknown[]) : null;
const gid = (clusterId: string) => encodeGlobalID('Cluster', clusterId);
const windows: { label: string; w: Window; vms: number; interval: number }[] = [];
const queryTimes: QueryTimes = { gqlDash: [], gqlPage: [], sqlDash: [], sqlPage: [] };
const fanout: {
  n: number;
  vireo: Awaited<ReturnType<typeof subsCollect>>;
  limit?: Awaited<ReturnType<typeof subsCollect>>;
  engineCpu: number;
  limitCpu?: number;
  answered: Window['answered'];
}[] = [];
let baselineServer = null as Worker | null;
const baselineUrl = async () => {
  if (!baselineServer) {
    baselineServer = startWorker('wsBaseline.ts', {});
  }
  return (await baselineServer.next('listening')).url as string;
};
let wsUrl = '';

try {
  // 1. The monitoring issue's figure: 50 hosts × 20 VMs every 2 s, one dashboard watching a cluster.
  {
    const hosts = seeded.hosts.slice(0, LAT_HOSTS);
    const clusters = [...new Set(hosts.map((h) => h.clusterId))];
    log(`latency: ${hosts.length} hosts × ${VMS} VMs every ${LAT_INTERVAL} ms, host+VM subscribers on ${clusters.length} cluster(s)`);
    const subDefs = clusters.flatMap((c) => [
      { cluster: gid(c), kind: 'host' as const },
      { cluster: gid(c), kind: 'vm' as const },
    ]);
    const hostSub = await startSubs(
      'vireo',
      engine.url,
      token,
      subDefs.filter((s) => s.kind === 'host'),
    );
    const vmSub = await startSubs(
      'vireo',
      engine.url,
      token,
      subDefs.filter((s) => s.kind === 'vm'),
    );
    const agents = await startAgents('vireo', engine.url, hosts, LAT_INTERVAL);
    await sleep(LAT_INTERVAL * 2);
    await subsReset([...hostSub, ...vmSub]);
    const w = await ingestWindow(
      agents,
      enginePids,
      hosts.length,
      LAT_INTERVAL,
      Math.min(WINDOW_S, 30),
      undefined,
      hosts.map((h) => h.id),
    );
    const vh = await subsCollect(hostSub);
    const vv = await subsCollect(vmSub);
    windows.push({ label: `${hosts.length}×${VMS} @${LAT_INTERVAL / 1000}s`, w, vms: VMS, interval: LAT_INTERVAL });
    await stopAll([...agents, ...hostSub, ...vmSub]);
    // The limit: the same agents and subscribers through the bare ws server.
    wsUrl = await baselineUrl();
    const rh = await startSubs(
      'raw',
      wsUrl,
      undefined,
      clusters.map((c) => ({ cluster: c, kind: 'host' as const })),
    );
    const rv = await startSubs(
      'raw',
      wsUrl,
      undefined,
      clusters.map((c) => ({ cluster: c, kind: 'vm' as const })),
    );
    const ra = await startAgents('raw', wsUrl, hosts, LAT_INTERVAL);
    await sleep(LAT_INTERVAL * 2);
    await subsReset([...rh, ...rv]);
    const bw = await ingestWindow(ra, baselineServer!.child.pid!, hosts.length, LAT_INTERVAL, Math.min(WINDOW_S, 30));
    const bh = await subsCollect(rh);
    const bv = await subsCollect(rv);
    await stopAll([...ra, ...rh, ...rv]);
    const tag = `${hosts.length} hosts × ${VMS} VMs @${LAT_INTERVAL / 1000}s`;
    row(`Sample→subscriber, host stat p50 (${tag})`, vh.p50, bh.p50, ' ms', 1);
    row(`Sample→subscriber, host stat p99 (${tag})`, vh.p99, bh.p99, ' ms', 1);
    row(`Sample→subscriber, VM stat p50 (${tag})`, vv.p50, bv.p50, ' ms', 1);
    row(`Sample→subscriber, VM stat p99 (${tag})`, vv.p99, bv.p99, ' ms', 1);
    row(`Engine CPU, % of one core (${tag}; limit: bare ws server)`, w.engine.cpuPct, bw.engine.cpuPct, '%', 1);
    notes.push(
      `latency phase: ${vh.received} host and ${vv.received} VM stats received by Vireo subscribers (${vh.errors + vv.errors} errors); bare ws ${bh.received} / ${bv.received}`,
    );
  }

  // 2. Ingest at growing (or shrinking) sizes; at the first size also fan-out and queries.
  let size = Math.min(HOSTS, MAX_HOSTS);
  let best: { size: number; w: Window } | null = null;
  let worst: number | null = null;
  for (let step = 0; step < STEPS; step++) {
    const hosts = seeded.hosts.slice(0, size);
    const clusters = [...new Set(hosts.map((h) => h.clusterId))];
    log(
      `ingest step ${step + 1}: ${size} hosts × ${VMS} VMs every ${INTERVAL} ms (${f((size * (1 + VMS) * 1000) / INTERVAL)} samples/s offered)`,
    );
    const first = step === 0;
    const subs = first
      ? await startSubs(
          'vireo',
          engine.url,
          token,
          Array.from({ length: SUBS[0]! }, (_, i) => ({ cluster: gid(clusters[i % clusters.length]!), kind: 'host' as const })),
        )
      : [];
    const agents = await startAgents('vireo', engine.url, hosts, INTERVAL);
    if (first) {
      await sleep(INTERVAL);
      await subsReset(subs);
    }
    const w = await ingestWindow(
      agents,
      enginePids,
      size,
      INTERVAL,
      WINDOW_S,
      first ? (until) => queryLoop(engine.url, token, poolSql, until, queryTimes) : undefined,
      hosts.map((h) => h.id),
    );
    windows.push({ label: `${size}×${VMS} @${INTERVAL / 1000}s`, w, vms: VMS, interval: INTERVAL });
    if (first) {
      const fo = await subsCollect(subs);
      fanout.push({ n: SUBS[0]!, vireo: fo, engineCpu: w.engine.cpuPct, answered: w.answered });
      await stopAll(subs);
      // More subscribers, same ingest.
      for (const n of SUBS.slice(1)) {
        log(`fan-out: ${n} subscribers`);
        const more = await startSubs(
          'vireo',
          engine.url,
          token,
          Array.from({ length: n }, (_, i) => ({ cluster: gid(clusters[i % clusters.length]!), kind: 'host' as const })),
        );
        await sleep(INTERVAL);
        await subsReset(more);
        await agentCounters(agents); // starts the agents' report timings afresh
        const meter = new ProcMeter(enginePids);
        await sleep(Math.min(WINDOW_S, 30) * 1000);
        const cpu = meter.stop();
        fanout.push({ n, vireo: await subsCollect(more), engineCpu: cpu.cpuPct, answered: (await agentCounters(agents)).answered });
        await stopAll(more);
      }
    }
    await stopAll(agents);
    const offered = (size * (w.t1.getTime() - w.t0.getTime())) / INTERVAL; // the window may outlast WINDOW_S (a slow query)
    const ok = w.failed === 0 && w.reports >= 0.95 * offered;
    log(
      `  ${w.reports} reports accepted of ${Math.round(offered)} offered, ${w.failed} failed; engine ${w.engine.cpuPct.toFixed(0)}% CPU, ${w.engine.rssMb.toFixed(0)} MiB; ${ok ? 'sustained' : 'FELL BEHIND'}`,
    );
    if (ok && (!best || size > best.size)) best = { size, w };
    if (!ok) worst = Math.min(worst ?? size, size);
    // Next size: double while it keeps up, halve (or bisect) when it does not.
    const next = ok
      ? worst
        ? Math.round((size + worst) / 2)
        : size * 2
      : best
        ? Math.round((best.size + size) / 2)
        : Math.round(size / 2);
    // Doubling past the largest size tried tries the largest itself.
    const capped = ok && next > MAX_HOSTS && size < MAX_HOSTS ? MAX_HOSTS : next;
    if (capped > MAX_HOSTS || capped === size || capped < 1 || (best && worst && worst - best.size <= Math.max(10, best.size * 0.1))) break;
    size = capped;
    await sleep(3000);
  }
  const tooFew = best ? '' : ' (none of the sizes tried)';
  textRow(
    'Largest fleet sustained (hosts × VMs, report interval)',
    best
      ? `${best.size} × ${VMS} @${INTERVAL / 1000}s${worst ? `; ${worst} fell behind` : '; no failure up to the sizes tried'}`
      : `none${tooFew}`,
    '-',
    '-',
  );
  if (best) textRow('Engine RSS at the largest sustained size', `${f(best.w.engine.rssMb)} MiB`);

  // 3. Fan-out limit: the same payloads at the same rate through a bare ws server.
  {
    wsUrl ||= await baselineUrl();
    const hosts = seeded.hosts.slice(0, Math.min(HOSTS, MAX_HOSTS));
    const clusters = [...new Set(hosts.map((h) => h.clusterId))];
    const ra = await startAgents('raw', wsUrl, hosts, INTERVAL);
    for (const fo of fanout) {
      log(`fan-out limit: ${fo.n} bare ws subscribers`);
      const subs = await startSubs(
        'raw',
        wsUrl,
        undefined,
        Array.from({ length: fo.n }, (_, i) => ({ cluster: clusters[i % clusters.length]!, kind: 'host' as const })),
      );
      await sleep(INTERVAL);
      await subsReset(subs);
      const meter = new ProcMeter(baselineServer!.child.pid!);
      await sleep(Math.min(WINDOW_S, 30) * 1000);
      fo.limitCpu = meter.stop().cpuPct;
      fo.limit = await subsCollect(subs);
      await stopAll(subs);
    }
    await stopAll(ra);
  }

  // 4. Actions: start VMs through the API, if the engine has the mutation yet.
  const mutations: string[] = (
    await gql(engine.url, `{ __schema { mutationType { fields { name } } } }`, {}, token)
  ).__schema.mutationType.fields.map((x: { name: string }) => x.name);
  const startMutation = mutations.find((m) => /^(runVm|startVm)$/.test(m));
  if (!startMutation) {
    textRow(`Actions: start ${ACTIONS} VMs through the API`, 'not measured: the engine has no runVm/startVm mutation yet');
  } else if (ACTIONS > 0) {
    await runVms(startMutation, best?.size ?? Math.min(HOSTS, MAX_HOSTS));
  }
} finally {
  clearInterval(rssTimer);
  await (baselineServer as Worker | null)?.stop();
  for (const e of engines)
    if (e.child.exitCode !== null || e.child.signalCode !== null)
      log(`engine pid ${e.pid} had exited (${e.child.exitCode ?? e.child.signalCode}); its last output:\n${e.output().slice(-3000)}`);
  log(`stopping the engine${ENGINES > 1 ? 's' : ''}`);
  await Promise.all(engines.map((e) => e.stop()));
  // What the engines logged as errors (masked as "Unexpected error." for the agents), most frequent first.
  const errs = new Map<string, number>();
  for (const l of engines.flatMap((e) => e.output().split('\n'))) {
    const m = /^\s*(?:\w*Error|PrismaClient\w*Error|Error)[:\s].{0,160}|Transaction API error.{0,120}/.exec(l)?.[0];
    if (m) {
      const k = m.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\d+/g, 'N').trim();
      errs.set(k, (errs.get(k) ?? 0) + 1);
    }
  }
  for (const [m, n] of [...errs].sort((a, b) => b[1] - a[1]).slice(0, 5)) notes.push(`engine log (last 100 kB): ${n} × ${m}`);
}

// ------------------------------------------------------------------ after the engine: persisted counts, SQL limits
const after: Database = await openBenchDb();
let pglite: PGlite | null = null;
let sql: Sql;
if (EMBEDDED) {
  await after.close();
  pglite = new PGlite(path.join(dataDir, 'pglite'));
  sql = (q, p) => pglite!.query(q, p as any[]);
} else {
  await after.close();
  sql = poolSql!;
}
const count = async (table: string, w: Window) =>
  Number(
    (
      (await sql(`SELECT count(*)::int n FROM "${table}" WHERE "sampledAt" >= $1 AND "sampledAt" < $2`, [w.t0, w.t1])) as {
        rows: { n: number }[];
      }
    ).rows[0]!.n,
  );
for (const { label, w, vms, interval } of windows) {
  const secs = (w.t1.getTime() - w.t0.getTime()) / 1000;
  const offered = (w.hosts * (1 + vms) * 1000) / interval;
  const accepted = (w.reports * (1 + vms)) / secs;
  const persisted = ((await count('HostSample', w)) + (await count('VmSample', w))) / secs;
  if (w.bringUpMs !== undefined)
    textRow(`Bring-up at ${label}: hosts NonResponsive → Up (hello and first report each)`, `${f(w.bringUpMs / 1000, 1)} s`);
  textRow(`Ingest ${label}: samples/s offered / accepted / persisted`, `${f(offered)} / ${f(accepted)} / ${f(persisted)}`);
  if (Number.isFinite(w.answered.p50))
    textRow(`Report sample → engine's answer p50 / p99 at ${label}`, `${f(w.answered.p50)} / ${f(w.answered.p99)} ms`);
  textRow(
    `Engine CPU and RSS at ${label} (agents' CPU)`,
    `${f(w.engine.cpuPct)}% of a core, ${f(w.engine.rssMb)} MiB (agents ${f(w.agentsCpu)}%; machine ${f(w.engine.machinePct)}% busy)`,
  );
}
// The ingest limit: the samples of the first ingest window, written by plain SQL into the same tables.
{
  const w = windows[1]?.w ?? windows[0]!.w;
  const { h, v } = sampleRows(seeded.hosts.slice(0, w.hosts), Math.max(200, w.reports));
  const secsOf = async (fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    return (performance.now() - t) / 1000;
  };
  const ins = await secsOf(async () => {
    await insertRows(sql, 'HostSample', HOST_COLS, h);
    await insertRows(sql, 'VmSample', VM_COLS, v);
  });
  // Vireo's figure: the most samples/s it persisted in any ingest window (its capacity once it falls behind).
  let vireoMax = 0;
  let at = '';
  for (const x of windows.slice(1)) {
    const secs = (x.w.t1.getTime() - x.w.t0.getTime()) / 1000;
    const persisted = ((await count('HostSample', x.w)) + (await count('VmSample', x.w))) / secs;
    if (persisted > vireoMax) {
      vireoMax = persisted;
      at = x.label;
    }
  }
  row(
    `Ingest: most samples/s Vireo persisted (at ${at}) vs ${EMBEDDED ? 'PGlite' : 'pg'} multi-row INSERT`,
    vireoMax,
    (h.length + v.length) / ins,
  );
  notes.push(
    `ingest limit: the same ${f(h.length + v.length)} rows (${f(h.length)} host + ${f(v.length)} VM samples) written into HostSample/VmSample by one pg connection, 1,000 rows per INSERT (or one COPY per table), after the engine stopped.`,
  );
  if (!EMBEDDED) {
    const cp = await secsOf(async () => {
      await copyRows('HostSample', HOST_COLS, h);
      await copyRows('VmSample', VM_COLS, v);
    });
    row(`Ingest: same, vs pg COPY (psql \\copy)`, vireoMax, (h.length + v.length) / cp);
  }
  await sql(`DELETE FROM "HostSample" WHERE "sampledAt" = '2000-01-01T00:00:00Z'`);
  await sql(`DELETE FROM "VmSample" WHERE "sampledAt" = '2000-01-01T00:00:00Z'`);
}
// Queries: GraphQL under ingest; SQL under the same ingest (PostgreSQL) or after it (embedded, one owner).
if (EMBEDDED) await sqlOnly(sql, Math.max(20, queryTimes.gqlDash.length), queryTimes);
const qtag = EMBEDDED ? 'SQL through PGlite, no load' : 'SQL through pg, same load';
row(`Dashboard query p50 (GraphQL under ingest; ${qtag})`, pct(queryTimes.gqlDash, 50), pct(queryTimes.sqlDash, 50), ' ms', 1);
row(`Dashboard query p99`, pct(queryTimes.gqlDash, 99), pct(queryTimes.sqlDash, 99), ' ms', 1);
row(`VM page: 100 of ${f(TOTAL_VMS)}, filtered+sorted, p50`, pct(queryTimes.gqlPage, 50), pct(queryTimes.sqlPage, 50), ' ms', 1);
row(`VM page p99`, pct(queryTimes.gqlPage, 99), pct(queryTimes.sqlPage, 99), ' ms', 1);
notes.push(
  `queries: ${queryTimes.gqlDash.length} dashboard + ${queryTimes.gqlPage.length} VM-page GraphQL requests, ${queryTimes.sqlDash.length} + ${queryTimes.sqlPage.length} SQL runs`,
);
for (const fo of fanout) {
  row(`Fan-out ${fo.n} subscribers: messages/s delivered`, fo.vireo.perSec, fo.limit?.perSec ?? NaN, '', 0);
  row(`Fan-out ${fo.n}: sample→subscriber p50`, fo.vireo.p50, fo.limit?.p50 ?? NaN, ' ms', 1);
  row(`Fan-out ${fo.n}: sample→subscriber p99`, fo.vireo.p99, fo.limit?.p99 ?? NaN, ' ms', 1);
  row(`Fan-out ${fo.n}: server CPU, % of one core (with ingest)`, fo.engineCpu, fo.limitCpu ?? NaN, '%', 0);
  // How much of a sample's age it already had when the engine answered its report (stored, then published).
  textRow(`Fan-out ${fo.n}: of that, report sample → engine's answer p50 / p99`, `${f(fo.answered.p50)} / ${f(fo.answered.p99)} ms`);
  if (fo.vireo.errors) notes.push(`fan-out ${fo.n}: ${fo.vireo.errors} subscription errors`);
}
textRow('Engine idle (after start, no agents)', `${f(idleStat.cpuPct)}% CPU, ${f(idleStat.rssMb)} MiB`);
if (rssOverRun.length >= 2) {
  const first = rssOverRun[0]!;
  const last = rssOverRun[rssOverRun.length - 1]!;
  const peak = Math.max(...rssOverRun.map((r) => r.mb));
  // Growth over the run's second half: a leak grows on; a warm engine holds still.
  const mid = rssOverRun[Math.floor(rssOverRun.length / 2)]!;
  const perMin = ((last.mb - mid.mb) * 60_000) / Math.max(1, last.t - mid.t);
  textRow(
    `Engine RSS over the run (${f((last.t - first.t) / 60_000, 1)} min, every 5 s)`,
    `start ${f(first.mb)} MiB, peak ${f(peak)}, end ${f(last.mb)}; second half ${perMin >= 0 ? '+' : ''}${f(perMin, 1)} MiB/min`,
  );
}
goals();

if (pglite) await pglite.close();
await pool?.end();
for (const c of cleanups.reverse()) await c().catch((e) => log(`cleanup: ${(e as Error).message}`));

// ------------------------------------------------------------------ issue 17's goals, from the rows above
function goals() {
  const find = (re: RegExp) => rows.find((r) => re.test(r[0]!));
  const ratio = (r: string[] | undefined) => (r ? Number(r[3]!.replace(/[×,]/g, '')) : NaN);
  const ms = (r: string[] | undefined) => (r ? Number(r[1]!.replace(/[ ms,]/g, '')) : NaN);
  const insert = find(/^Ingest: most samples\/s Vireo persisted/);
  textRow('Goal: persisted samples ≥ 0.5× plain INSERT', insert ? insert[3]! : 'n/a', '0.5×', ratio(insert) >= 0.5 ? 'met' : 'NOT met');
  const fleet = find(/^Largest fleet sustained/);
  const sustained = fleet ? Number(/^(\d+)/.exec(fleet[1]!)?.[1] ?? NaN) : NaN;
  textRow(
    `Goal: largest fleet ≥ ${f(GOAL_HOSTS)} hosts × 20 VMs @5s`,
    fleet?.[1] ?? 'n/a',
    f(GOAL_HOSTS),
    sustained >= GOAL_HOSTS ? 'met' : 'NOT met',
  );
  for (const fo of fanout) {
    const p99 = ms(find(new RegExp(`^Fan-out ${fo.n}: sample→subscriber p99`)));
    textRow(`Goal: sample→subscriber p99 < 1 s, ${f(fo.n)} subscribers`, `${f(p99)} ms`, '1,000 ms', p99 < 1000 ? 'met' : 'NOT met');
    const rate = ratio(find(new RegExp(`^Fan-out ${fo.n} subscribers: messages/s`)));
    textRow(`Goal: fan-out ≥ 0.8× bare ws, ${f(fo.n)} subscribers`, `${rate}×`, '0.8×', rate >= 0.8 ? 'met' : 'NOT met');
  }
}

// ------------------------------------------------------------------ report
const head = ['figure', 'Vireo', 'limit', 'ratio'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
console.log(
  `\nVireo scale benchmark — ${EMBEDDED ? 'embedded database (PGlite)' : 'PostgreSQL 15'}${ENGINES > 1 ? `, ${ENGINES} engines with Redis (CPU and RSS summed over them)` : ''}${quick ? ', quick mode' : ''}`,
);
console.log(
  `machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ${busyBefore.toFixed(0)}% busy before the run (loadavg ${load0.map((l) => l.toFixed(2)).join(' ')}), loadavg after ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
for (const n of notes) console.log(`- ${n}`);
if (o.profile) {
  const file = mainThreadProfile(cpuProfDir, profStart);
  if (file) {
    console.log(`\nEngine CPU profile (${file}), top functions by self time:`);
    console.log(summarizeProfile(file, 25));
  }
}
process.exit(0);
