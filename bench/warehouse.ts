// The warehouse's figures (issue 18): a year of daily points of one VM out of 1,000 and a 30-day
// hourly chart of one host out of 1,000, through GraphQL over HTTP on seeded rollups (p50/p99);
// and the rollup job's CPU for one hour of samples of `--hosts` hosts × `--vms` VMs every `--interval` s.
//   node --import tsx bench/warehouse.ts [--objects 1000] [--queries 200] [--hosts 100] [--vms 20] [--interval 5] [--pg-url postgresql://…]
// The data is seeded with SQL (a bench may; tests may not). Embedded database unless --pg-url
// (then a scratch database, created and dropped). On the embedded database the rollup's SQL runs
// in this process, so its CPU is the job's whole cost; on PostgreSQL it is the server's (wall time shown).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { openDatabase } from '../server/db.ts';
import { createEngine } from '../server/engine.ts';
import { ensureInitialAdmin } from '../server/auth/initialAdmin.ts';
import { createYogaApp } from '../server/http/app.ts';
import { listen } from '../server/http/listen.ts';
import { BENCH_ADMIN_PASSWORD, gql } from './engineProcess.ts';
import { pct } from './stats.ts';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '1000' },
    queries: { type: 'string', default: '200' },
    hosts: { type: 'string', default: '100' },
    vms: { type: 'string', default: '20' },
    interval: { type: 'string', default: '5' },
    'pg-url': { type: 'string' },
  },
});
const N = Number(values.objects);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const end = Math.floor(Date.now() / DAY) * DAY; // today 00:00 UTC: the marks stand there

let dropDb = async () => {};
let url: string | undefined;
if (values['pg-url']) {
  const name = `vireo_bench_warehouse_${process.pid}`;
  const admin = new pg.Client({ connectionString: values['pg-url'] });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(values['pg-url']);
  u.pathname = `/${name}`;
  url = u.toString();
  dropDb = async () => {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  };
}
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-warehouse-'));
const database = await openDatabase(url ? { url } : { dataDir: path.join(dataDir, 'pglite') });
const engine = createEngine(database, { monitoring: { now: () => new Date(end + 10 * 60_000) } });
const db = engine.db;
await ensureInitialAdmin(db, BENCH_ADMIN_PASSWORD);

console.log(`seeding ${N} hosts with 30 days of hours and ${N} VMs with 365 days of days (${database.kind})…`);
let t0 = performance.now();
await db.$executeRaw`INSERT INTO "DataCenter" (id, name, "updatedAt") VALUES ('00000000-0000-4000-8000-000000000001', 'bench-dc', now())`;
await db.$executeRaw`INSERT INTO "Cluster" (id, name, "dataCenterId", "updatedAt") VALUES ('00000000-0000-4000-8000-000000000002', 'bench-cluster', '00000000-0000-4000-8000-000000000001', now())`;
await db.$executeRaw`INSERT INTO "Host" (id, name, address, "clusterId", "updatedAt")
  SELECT ('10000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'bh' || i, 'bh' || i || '.bench', '00000000-0000-4000-8000-000000000002', now() FROM generate_series(1, ${N}) i`;
await db.$executeRaw`INSERT INTO "Vm" (id, name, "clusterId", "updatedAt")
  SELECT ('20000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'bv' || i, '00000000-0000-4000-8000-000000000002', now() FROM generate_series(1, ${N}) i`;
const hostFigures = (x: string) =>
  `${x}, ${x} + 5, ${x} - 5, 1, 2, 0, 8000, 9000, 7000, 50000, 51000, 49000, 0, 0, 0, 1e4, 2e4, 5e3, 5e3, 1e4, 2e3, 10, 12, 8`;
await db.$executeRawUnsafe(`INSERT INTO "HostStatsHourly" SELECT h.id, p, 720, p + interval '59 minutes', ${hostFigures('(random() * 90 + 5)')}
  FROM "Host" h, generate_series(to_timestamp(${(end - 30 * DAY) / 1000}), to_timestamp(${(end - HOUR) / 1000}), interval '1 hour') p`);
const vmFigures = (x: string) => `${x}, ${x} + 5, ${x} - 5, 900, 1000, 800, 1e3, 2e3, 5e2, 5e2, 1e3, 1e2, 2e3, 4e3, 1e3, 1e2, 2e2, 5e1`;
await db.$executeRawUnsafe(`INSERT INTO "VmStatsDaily" SELECT v.id, p, 17280, p + interval '23 hours 59 minutes', ${vmFigures('(random() * 90 + 5)')}
  FROM "Vm" v, generate_series(to_timestamp(${(end - 365 * DAY) / 1000}), to_timestamp(${(end - DAY) / 1000}), interval '1 day') p`);
await db.$executeRaw`INSERT INTO "WarehouseMark" (level, "upTo") VALUES ('hourly', ${new Date(end).toISOString()}::timestamptz), ('daily', ${new Date(end).toISOString()}::timestamptz)`;
await db.$executeRawUnsafe('ANALYZE');
console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const server = await listen(createYogaApp(engine), '127.0.0.1', 0);
const token: string = (
  await gql(
    server.url,
    `mutation($p: String!) { login(input: { userName: "admin", password: $p }) { ... on MutationLoginSuccess { session { token } } } }`,
    { p: BENCH_ADMIN_PASSWORD },
  )
).login.session.token;
const id = (type: string, prefix: string, i: number) => encodeGlobalID(type, `${prefix}-0000-4000-8000-${String(i).padStart(12, '0')}`);

async function timed(label: string, query: string, vars: (i: number) => Record<string, unknown>, expectPoints: number) {
  const ms: number[] = [];
  for (let q = 0; q < Number(values.queries); q++) {
    const i = 1 + Math.floor(Math.random() * N);
    const s = performance.now();
    const data = await gql(server.url, query, vars(i), token);
    ms.push(performance.now() - s);
    const n = data.node.statsHistory.length;
    if (n !== expectPoints) throw new Error(`${label}: ${n} points, expected ${expectPoints}`);
  }
  console.log(
    `${label}: ${expectPoints} points, p50 ${pct(ms, 50).toFixed(1)} ms, p99 ${pct(ms, 99).toFixed(1)} ms (${ms.length} queries, one at a time)`,
  );
}
await timed(
  `a year of daily points of one VM of ${N} (AUTO)`,
  `query($id: ID!, $from: DateTime, $to: DateTime) { node(id: $id) { ... on Vm { statsHistory(from: $from, to: $to) { periodStart cpuPercent cpuPercentMax memUsedMb netRxBps } } } }`,
  (i) => ({ id: id('Vm', '20000000', i), from: new Date(end - 365 * DAY).toISOString(), to: new Date(end).toISOString() }),
  365,
);
await timed(
  `a 30-day hourly chart of one host of ${N} (AUTO)`,
  `query($id: ID!, $from: DateTime, $to: DateTime) { node(id: $id) { ... on Host { statsHistory(from: $from, to: $to) { periodStart cpuPercent cpuPercentMax memUsedMb netRxBps } } } }`,
  (i) => ({ id: id('Host', '10000000', i), from: new Date(end - 30 * DAY).toISOString(), to: new Date(end).toISOString() }),
  720,
);

// One hour of raw samples (the hour before `end`, not yet rolled up), then one rollup pass.
const hosts = Number(values.hosts);
const vms = hosts * Number(values.vms);
const every = Number(values.interval);
t0 = performance.now();
await db.$executeRaw`DELETE FROM "WarehouseMark"`;
await db.$executeRaw`DELETE FROM "HostStatsHourly"`;
await db.$executeRaw`DELETE FROM "VmStatsDaily"`;
await db.$executeRawUnsafe(`INSERT INTO "HostSample" ("hostId", "sampledAt", "cpuPercent", "cpuLoad", "memUsedMb", "memFreeMb", "swapUsedMb", "netRxBps", "netTxBps", "runningVms")
  SELECT gen_random_uuid(), t, random() * 100, 1, 8000, 50000, 0, 1e4, 5e3, 20 FROM generate_series(1, ${hosts}) h,
  generate_series(to_timestamp(${(end - HOUR) / 1000}), to_timestamp(${(end - 1000) / 1000}), interval '${every} seconds') t`);
await db.$executeRawUnsafe(`INSERT INTO "VmSample" ("vmId", "hostId", "sampledAt", "cpuPercent", "memUsedMb", "netRxBps", "netTxBps", "diskReadBps", "diskWriteBps")
  SELECT ('30000000-0000-4000-8000-' || lpad(v::text, 12, '0'))::uuid, NULL, t, random() * 100, 900, 1e3, 5e2, 2e3, 1e2 FROM generate_series(1, ${vms}) v,
  generate_series(to_timestamp(${(end - HOUR) / 1000}), to_timestamp(${(end - 1000) / 1000}), interval '${every} seconds') t`);
await db.$executeRawUnsafe('ANALYZE');
const rows = hosts * (3600 / every) + vms * (3600 / every);
console.log(
  `seeded one hour of samples: ${hosts} hosts × ${values.vms} VMs @${every}s = ${rows.toLocaleString()} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const cpu0 = process.cpuUsage();
t0 = performance.now();
const out = await engine.warehouse.run();
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(
  `rollup of that hour: ${out.hours} hour(s), ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU of this process` +
    ` (${database.kind === 'embedded' ? 'the database included' : "PostgreSQL's own CPU not included"}); per 1,000 hosts × 20 VMs: ×${((1000 * 21) / (hosts + vms)).toFixed(1)}`,
);

await server.stop();
await database.close();
await dropDb();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
