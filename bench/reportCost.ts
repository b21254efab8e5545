// Where one agent report's engine time goes, in-process: applyReport (one transaction, raw SQL
// through the Prisma client) and a history flush (Prisma createMany, and the engine's
// SampleBuffer), each against the same writes in hand-written SQL through `pg`. Engine-side CPU
// per report is what limits the fleet one engine holds.
//   node --import tsx bench/reportCost.ts [--reports 300] [--vms 20] [--pg-url postgresql://…]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../server/db.ts';
import { applyReport } from '../server/monitoring/applyReport.ts';
import { SampleBuffer } from '../server/monitoring/history.ts';
import type { AgentReport } from '../protocol/messages.ts';
import { SimulatedHypervisor } from '../agent/drivers/simulated.ts';
import { pct } from './stats.ts';

const { values: o } = parseArgs({
  options: {
    reports: { type: 'string', default: '300' },
    vms: { type: 'string', default: '20' },
    'pg-url': { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres' },
  },
});
const N = Number(o.reports);
const VMS = Number(o.vms);
const server = o['pg-url']!;
const dbName = `vireo_bench_cost_${process.pid}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const u = new URL(server);
u.pathname = `/${dbName}`;
const url = u.toString();
const database = await openDatabase({ url });
const db = database.db;
let statements = 0;
database.onQuery(() => {
  statements++;
});
const pool = new pg.Pool({ connectionString: url, max: 2 });

try {
  const dc = await db.dataCenter.create({ data: { name: 'dc' } });
  const cluster = await db.cluster.create({ data: { name: 'c', dataCenterId: dc.id } });
  const host = await db.host.create({ data: { name: 'h', address: 'h', clusterId: cluster.id, status: 'UP' } });
  const specs = Array.from({ length: VMS }, (_, i) => ({ id: randomUUID(), name: `vm${i}`, memoryMb: 2048, vcpus: 2, osType: 'other' }));
  await db.vm.createMany({
    data: specs.map((s) => ({
      id: s.id,
      name: s.name,
      clusterId: cluster.id,
      hostId: host.id,
      status: 'UP' as const,
      memoryMb: 2048,
      cpuCores: 2,
    })),
  });
  const sim = new SimulatedHypervisor({ hostName: 'h', running: specs });
  const reports: AgentReport[] = [];
  for (let i = 0; i < N + 20; i++) {
    const s = await sim.stats();
    reports.push({ seq: i, sampledAt: new Date().toISOString(), host: s.host, domains: s.domains });
  }

  const measure = async (label: string, fn: (r: AgentReport) => Promise<unknown>) => {
    for (const r of reports.slice(0, 20)) await fn(r); // warm-up
    statements = 0;
    const wall: number[] = [];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const r of reports.slice(20)) {
      const t = performance.now();
      await fn(r);
      wall.push(performance.now() - t);
    }
    const c = process.cpuUsage(c0);
    const total = performance.now() - t0;
    console.log(
      `${label.padEnd(46)} ${((c.user + c.system) / 1000 / N).toFixed(2).padStart(6)} ms CPU/report  wall p50 ${pct(wall, 50).toFixed(2)} p99 ${pct(wall, 99).toFixed(2)} ms  ${(N / (total / 1000)).toFixed(0)} reports/s  ${(statements / N).toFixed(1)} statements/report through Prisma`,
    );
  };

  console.log(`one host, ${VMS} VMs, ${N} reports, one after another (engine-side CPU, this process)`);
  await measure('applyReport (as the engine does)', (r) => applyReport(db, host.id, r, new Date()));
  // The same reads and writes, hand-written: one round trip per statement, arrays through unnest.
  await measure('same writes, hand-written SQL through pg', async (r) => {
    const c = await pool.connect();
    try {
      const now = new Date();
      await c.query('BEGIN');
      await c.query('SELECT id, name, "clusterId", status FROM "Host" WHERE id = $1', [host.id]);
      await c.query('SELECT id, name, status, "hostId" FROM "Vm" WHERE "hostId" = $1 OR id = ANY($2::uuid[])', [
        host.id,
        r.domains.map((d) => d.id),
      ]);
      await c.query('UPDATE "Host" SET "lastSeenAt" = $2, "updatedAt" = $2 WHERE id = $1', [host.id, now]);
      const h = r.host;
      await c.query(
        `INSERT INTO "HostStatistics" ("hostId","cpuUserPercent","cpuSysPercent","cpuIdlePercent","cpuLoad","memUsedMb","memFreeMb","swapUsedMb","netRxBps","netTxBps","runningVms","sampledAt")
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT ("hostId") DO UPDATE SET "cpuUserPercent"=EXCLUDED."cpuUserPercent","cpuSysPercent"=EXCLUDED."cpuSysPercent",
        "cpuIdlePercent"=EXCLUDED."cpuIdlePercent","cpuLoad"=EXCLUDED."cpuLoad","memUsedMb"=EXCLUDED."memUsedMb","memFreeMb"=EXCLUDED."memFreeMb","swapUsedMb"=EXCLUDED."swapUsedMb",
        "netRxBps"=EXCLUDED."netRxBps","netTxBps"=EXCLUDED."netTxBps","runningVms"=EXCLUDED."runningVms","sampledAt"=EXCLUDED."sampledAt"`,
        [
          host.id,
          h.cpuUserPercent,
          h.cpuSysPercent,
          h.cpuIdlePercent,
          h.cpuLoad,
          h.memUsedMb,
          h.memFreeMb,
          h.swapUsedMb,
          h.netRxBps,
          h.netTxBps,
          r.domains.length,
          now,
        ],
      );
      const d = r.domains;
      await c.query(
        `INSERT INTO "VmStatistics" ("vmId","cpuPercent","memUsedMb","netRxBps","netTxBps","diskReadBps","diskWriteBps","uptimeSeconds","guestHostname","guestIps","guestApps","guestUser","displayType","displayAddress","displayPort","displayTlsPort","sampledAt")
        SELECT v, cpu, mem, rx, tx, dr, dw, up, gh, string_to_array(gi, ','), string_to_array(ga, ','), gu, dt::"DisplayType", da, dp, dtls, $17 FROM unnest($1::uuid[], $2::float8[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::int[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[])
          AS t(v, cpu, mem, rx, tx, dr, dw, up, gh, gi, ga, gu, dt, da, dp, dtls)
        ON CONFLICT ("vmId") DO UPDATE SET "cpuPercent"=EXCLUDED."cpuPercent","memUsedMb"=EXCLUDED."memUsedMb","netRxBps"=EXCLUDED."netRxBps","netTxBps"=EXCLUDED."netTxBps",
          "diskReadBps"=EXCLUDED."diskReadBps","diskWriteBps"=EXCLUDED."diskWriteBps","uptimeSeconds"=EXCLUDED."uptimeSeconds","guestHostname"=EXCLUDED."guestHostname",
          "guestIps"=EXCLUDED."guestIps","guestApps"=EXCLUDED."guestApps","guestUser"=EXCLUDED."guestUser","displayType"=EXCLUDED."displayType",
          "displayAddress"=EXCLUDED."displayAddress","displayPort"=EXCLUDED."displayPort","displayTlsPort"=EXCLUDED."displayTlsPort","sampledAt"=EXCLUDED."sampledAt"`,
        [
          d.map((x) => x.id),
          d.map((x) => x.sample.cpuPercent),
          d.map((x) => x.guest?.memUsedMb ?? 0),
          d.map((x) => x.sample.netRxBps),
          d.map((x) => x.sample.netTxBps),
          d.map((x) => x.sample.diskReadBps),
          d.map((x) => x.sample.diskWriteBps),
          d.map((x) => x.sample.uptimeSeconds),
          d.map((x) => x.guest?.hostname ?? ''),
          d.map((x) => (x.guest?.ips ?? []).join(',')),
          d.map((x) => (x.guest?.applications ?? []).join(',')),
          d.map((x) => x.guest?.loggedInUser ?? ''),
          d.map((x) => x.display?.type ?? null),
          d.map((x) => x.display?.address ?? ''),
          d.map((x) => x.display?.port ?? null),
          d.map((x) => x.display?.tlsPort ?? null),
          now,
        ],
      );
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  });

  // History: one flush of 2,000 VM samples (the buffer's size), Prisma createMany vs one pg INSERT … unnest.
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    vmId: specs[i % VMS]!.id,
    hostId: host.id,
    sampledAt: new Date(),
    cpuPercent: 10,
    memUsedMb: 1000,
    netRxBps: 1e5,
    netTxBps: 1e4,
    diskReadBps: 1e5,
    diskWriteBps: 1e4,
  }));
  const flushCost = async (label: string, fn: () => Promise<unknown>) => {
    await fn();
    const eld = monitorEventLoopDelay({ resolution: 5 });
    eld.enable();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) {
      await fn();
      await new Promise((r) => setTimeout(r, 20));
    }
    const c = process.cpuUsage(c0);
    eld.disable();
    console.log(
      `${label.padEnd(46)} ${((c.user + c.system) / 1000 / 10).toFixed(1).padStart(6)} ms CPU/flush  wall ${((performance.now() - t0) / 10 - 20).toFixed(1)} ms/flush  event loop blocked up to ${(eld.max / 1e6).toFixed(0)} ms`,
    );
  };
  await flushCost('history flush, 2,000 rows, Prisma createMany', () => db.vmSample.createMany({ data: rows }));
  const buffer = new SampleBuffer(db, Number.MAX_SAFE_INTEGER);
  await flushCost('history flush, 2,000 rows, engine SampleBuffer', () => {
    buffer.add([], rows);
    return buffer.flush();
  });
  await flushCost('history flush, 2,000 rows, pg INSERT … unnest', () =>
    pool.query(
      `INSERT INTO "VmSample" ("vmId","hostId","sampledAt","cpuPercent","memUsedMb","netRxBps","netTxBps","diskReadBps","diskWriteBps")
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::float8[], $5::int[], $6::float8[], $7::float8[], $8::float8[], $9::float8[])`,
      [
        rows.map((r) => r.vmId),
        rows.map((r) => r.hostId),
        rows.map((r) => r.sampledAt),
        rows.map((r) => r.cpuPercent),
        rows.map((r) => r.memUsedMb),
        rows.map((r) => r.netRxBps),
        rows.map((r) => r.netTxBps),
        rows.map((r) => r.diskReadBps),
        rows.map((r) => r.diskWriteBps),
      ],
    ),
  );
} finally {
  await pool.end();
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
