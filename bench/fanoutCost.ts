// What one live stats message costs the engine, in-process: the engine (embedded database)
// publishes host samples straight into its pub/sub, as monitoring does after storing a report,
// and N graphql-ws dashboard subscribers in worker processes each watch one cluster. CPU is
// this process's own (engine + publisher), so the figure holds on a busy machine; latencies
// do not (they are wall-clock).
//   node --import tsx bench/fanoutCost.ts [--subs 1000] [--clusters 20] [--hosts 50] [--interval 5000] [--seconds 20] [--profile]
// --profile prints where the engine's time went during the measured window only.
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { openDatabase } from '../server/db.ts';
import { createEngine } from '../server/engine.ts';
import { ensureInitialAdmin } from '../server/auth/initialAdmin.ts';
import { createYogaApp } from '../server/http/app.ts';
import { listen } from '../server/http/listen.ts';
import type { HostStatsEvent } from '../server/pubsub.ts';
import { summarizeProfile } from './profile.ts';
import { BENCH_ADMIN_PASSWORD, BENCH_SOCKET_LIMITS, gql } from './engineProcess.ts';
import { startWorker, type Worker } from './workers.ts';

const { values: o } = parseArgs({
  options: {
    subs: { type: 'string', default: '1000' },
    clusters: { type: 'string', default: '20' },
    hosts: { type: 'string', default: '50' },
    interval: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '20' },
    profile: { type: 'boolean', default: false },
  },
});
const SUBS = Number(o.subs);
const CLUSTERS = Number(o.clusters);
const HOSTS = Number(o.hosts);
const INTERVAL = Number(o.interval);
const SECONDS = Number(o.seconds);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-fanout-'));
const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
const engine = createEngine(database);
await ensureInitialAdmin(engine.db, BENCH_ADMIN_PASSWORD);
Object.assign(process.env, BENCH_SOCKET_LIMITS);
const server = await listen(createYogaApp(engine), '127.0.0.1', 0);
const workers: Worker[] = [];
try {
  const dc = await engine.db.dataCenter.create({ data: { name: 'dc' } });
  const hosts: { id: string; clusterId: string }[] = [];
  for (let c = 0; c < CLUSTERS; c++) {
    const cluster = await engine.db.cluster.create({ data: { name: `c${c}`, dataCenterId: dc.id } });
    const rows = Array.from({ length: HOSTS }, (_, h) => ({
      id: randomUUID(),
      name: `c${c}-h${h}`,
      address: `c${c}-h${h}.example`,
      clusterId: cluster.id,
      status: 'UP' as const,
    }));
    await engine.db.host.createMany({ data: rows });
    hosts.push(...rows);
  }
  const clusterIds = [...new Set(hosts.map((h) => h.clusterId))];
  const token: string = (
    await gql(
      server.url,
      `mutation($p: String!) { login(input: { userName: "admin", password: $p }) { ... on MutationLoginSuccess { session { token } } } }`,
      { p: BENCH_ADMIN_PASSWORD },
    )
  ).login.session.token;
  const subs = Array.from({ length: SUBS }, (_, i) => ({
    cluster: encodeGlobalID('Cluster', clusterIds[i % clusterIds.length]!),
    kind: 'host' as const,
  }));
  for (let i = 0; i < subs.length; i += 500) {
    const w = startWorker('subscribers.ts', {});
    await w.next('ready');
    w.send({ type: 'start', mode: 'vireo', url: server.url, token, subs: subs.slice(i, i + 500) });
    workers.push(w);
  }
  const connected = (await Promise.all(workers.map((w) => w.next('started', 120_000)))).reduce((s, x) => s + x.connected, 0);

  // Every host's sample once per interval, spread evenly, the send time stamped into netTxBps.
  const perMs = hosts.length / INTERVAL;
  let next = 0;
  let owed = 0;
  let last = performance.now();
  const publish = setInterval(() => {
    const now = performance.now();
    owed += (now - last) * perMs;
    last = now;
    for (; owed >= 1; owed--) {
      const h = hosts[next++ % hosts.length]!;
      const e: HostStatsEvent = {
        hostId: h.id,
        clusterId: h.clusterId,
        runningVms: 0,
        cpuUserPercent: 10,
        cpuSysPercent: 2,
        cpuIdlePercent: 88,
        cpuLoad: 1,
        memUsedMb: 1000,
        memFreeMb: 1000,
        swapUsedMb: 0,
        netRxBps: 0,
        netTxBps: Date.now(),
        sampledAt: new Date().toISOString(),
      };
      engine.pubsub.publish('host:stats', h.clusterId, e);
    }
  }, 10);
  await sleep(3000); // warm-up
  await Promise.all(
    workers.map(async (w) => {
      w.send({ type: 'reset' });
      await w.next('reset');
    }),
  );
  const published0 = next;
  const profiler = o.profile ? await startProfiler() : null;
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  await sleep(SECONDS * 1000);
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  const profileFile = await profiler?.stop();
  clearInterval(publish);
  const got = await Promise.all(
    workers.map(async (w) => {
      w.send({ type: 'collect' });
      return w.next('counters');
    }),
  );
  const received = got.reduce((s, c) => s + c.received, 0);
  const offered = ((next - published0) / SECONDS) * (SUBS / clusterIds.length); // each sample goes to its cluster's subscribers
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const wavg = (k: 'p50' | 'p99') => got.reduce((s, c) => s + c[k] * c.received, 0) / Math.max(1, received);
  console.log(
    `${SUBS} subscribers (${connected} connected) on ${clusterIds.length} clusters of ${HOSTS} hosts, every host's sample each ${INTERVAL} ms`,
  );
  console.log(`messages/s offered ${offered.toFixed(0)}, delivered ${(received / SECONDS).toFixed(0)}`);
  console.log(
    `engine CPU ${(cpuMs / SECONDS / 10).toFixed(0)} % of a core, event loop busy ${(elu.utilization * 100).toFixed(0)} %, ${((cpuMs * 1000) / Math.max(1, received)).toFixed(1)} µs CPU per delivered message`,
  );
  console.log(
    `sample→subscriber p50 ${wavg('p50').toFixed(0)} ms, p99 ${Math.max(...got.map((c) => c.p99)).toFixed(0)} ms (wall-clock: depends on the machine's load)`,
  );
  console.log(`errors ${got.reduce((s, c) => s + c.errors, 0)}`);
  if (profileFile) console.log(summarizeProfile(profileFile));
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await server.stop();
  await engine.monitoring.stop();
  await database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** The V8 profiler over a part of the run; stop() writes the .cpuprofile and returns its path. */
async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      const file = path.join(dataDir, 'fanout.cpuprofile');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      return file;
    },
  };
}
