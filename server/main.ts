// `npm start`: the engine on PostgreSQL (DATABASE_URL) or the embedded database in ./data,
// with the demo inventory seeded into an empty database.
import path from 'node:path';
import { loadConfig } from './config.ts';
import { loadSecretKey } from './fencing/secretBox.ts';
import { startHighAvailability } from './ha/highAvailability.ts';
import { Balancer } from './balancer/balancer.ts';
import { openDatabase } from './db.ts';
import { createEngine } from './engine.ts';
import { createYogaApp } from './http/app.ts';
import { listen } from './http/listen.ts';
import { startWebhooks } from './http/webhookRunner.ts';
import { seedDemo } from '../demo/seed.ts';
import { ensureInitialAdmin } from './auth/initialAdmin.ts';
import { loadDirectoryProfiles } from './auth/directoryConfig.ts';
import { startDemoAgents } from '../demo/agents.ts';
import { SIM_FENCE_DIR } from '../demo/simulatedBmc.ts';
import { REAL_HOST, startRealHost } from '../demo/realHost.ts';
import { DeadEngineRecovery } from './cluster/deadEngines.ts';
import { runWhileLeader } from './cluster/leaderLoops.ts';
import { sweepOrphanImages } from './storage/orphanImages.ts';

const started = performance.now();
const startedAt = Date.now();
const config = loadConfig();
const database = await openDatabase(
  config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: path.join(config.VIREO_DATA_DIR, 'pglite') },
);
const engine = createEngine(database, {
  monitoring: {
    flushIntervalMs: config.VIREO_STATS_FLUSH_MS,
    ...(config.VIREO_HOST_TIMEOUT_MS ? { timeoutMs: config.VIREO_HOST_TIMEOUT_MS } : {}),
  },
  secretKey: loadSecretKey(config.VIREO_DATA_DIR, config.VIREO_SECRET_KEY),
  // The demo's hosts are powered through its simulated BMC, with the fence agent in demo/fence.
  fencing: {
    searchPath: [...config.VIREO_FENCE_AGENTS_PATH.split(':').filter(Boolean), ...(config.VIREO_DEMO === '1' ? [SIM_FENCE_DIR] : [])],
  },
  directories: loadDirectoryProfiles(),
  mail: config.VIREO_SMTP_URL ? { smtpUrl: config.VIREO_SMTP_URL, from: config.VIREO_MAIL_FROM } : null,
  warehouse: {
    retention: {
      sampleHours: config.VIREO_SAMPLES_RETENTION_HOURS,
      changeHours: config.VIREO_CHANGES_RETENTION_HOURS,
      hourlyDays: config.VIREO_HOURLY_RETENTION_DAYS,
      dailyDays: config.VIREO_DAILY_RETENTION_DAYS,
    },
  },
});
const { generatedPassword } = await ensureInitialAdmin(engine.db);
// Joins the engines sharing the database; a lone engine leads at once.
await engine.cluster.start();
// Storage alerts are the leader's (each engine sees only the reports it ingests).
engine.alerts.setLeading(engine.cluster.isLeader);
engine.cluster.election.onChange((leader) => engine.alerts.setLeading(leader));
const deadEngines = new DeadEngineRecovery(engine);
// Actions a dead engine (this one's previous process, say) died in the middle of are undone before anything else runs,
// by the leader; another engine's are left to it while it lives.
const recovered = engine.cluster.isLeader
  ? await deadEngines.pass()
  : { undone: 0, abandoned: 0, waiting: 0, settled: new Promise<never>(() => {}) };
if (recovered.undone + recovered.abandoned + recovered.waiting)
  console.log(
    `interrupted jobs: ${recovered.undone} undone, ${recovered.abandoned} left to monitoring, ${recovered.waiting} waiting for their host's report`,
  );
void recovered.settled.then((s) => {
  if (s.kept + s.undone + s.abandoned)
    console.log(
      `interrupted jobs decided by host reports: ${s.kept} VMs kept, ${s.undone} undone, ${s.abandoned} hosts silent (left to monitoring)`,
    );
});
if (generatedPassword) {
  // Shown on the first start only; it is not stored anywhere in clear.
  console.log(`Initial administrator: user "admin", profile "internal", password "${generatedPassword}" (shown once: write it down)`);
}
if (config.VIREO_DEMO === '1' && (await seedDemo(engine))) console.log('demo inventory seeded');
const server = await listen(createYogaApp(engine), config.HOST, config.PORT);
await engine.cluster.instances.announce(server.url);
engine.monitoring.start({ watchdog: false });
const balancer = new Balancer(engine);
let webhooks: ReturnType<typeof startWebhooks> | null = null;
let ha: ReturnType<typeof startHighAvailability> | null = null;
// The cluster-wide loops run on the leader only (started again on another engine when it dies).
const leaderLoops = runWhileLeader(engine.cluster.election, [
  { name: 'watchdog', start: () => engine.monitoring.watchdog.start(1000), stop: () => engine.monitoring.watchdog.stop() },
  // NonResponsive hosts are fenced, and highly available VMs released by fencing or a confirmed reboot start elsewhere.
  { name: 'high availability', start: () => (ha = startHighAvailability(engine)), stop: () => ha?.stop() },
  { name: 'SPM election', start: () => engine.spm.start(), stop: () => engine.spm.stop() },
  // Each cluster balanced every minute by its scheduling policy, broken affinity repaired.
  { name: 'balancer', start: () => balancer.start(), stop: () => balancer.stop() },
  { name: 'history rollups and retention', start: () => engine.warehouse.start(), stop: () => engine.warehouse.stop() },
  { name: 'report schedules', start: () => engine.reportSchedules.start(), stop: () => engine.reportSchedules.stop() },
  { name: 'webhooks', start: () => (webhooks = startWebhooks(engine)), stop: () => webhooks?.stop() },
  { name: "dead engines' actions", start: () => deadEngines.start(), stop: () => deadEngines.stop() },
]);
// Images a killed engine left without their disk are removed once their hosts' agents connect.
const orphans = sweepOrphanImages(engine, { startedAt });
void orphans.done.then((o) => {
  if (o.removed) console.log(`orphaned images removed: ${o.removed} (on ${o.hostsSwept} hosts checked)`);
});
const realHost =
  config.VIREO_DEMO === '1' && process.env.VIREO_DEMO_LIBVIRT_URI
    ? await startRealHost(engine, server.url, {
        uri: process.env.VIREO_DEMO_LIBVIRT_URI,
        guestDir: process.env.VIREO_DEMO_GUEST_DIR ?? '.cache/libvirt-guest',
        dataDir: config.VIREO_DATA_DIR,
        ...(process.env.VIREO_DEMO_LIBVIRT_NICS ? { nics: process.env.VIREO_DEMO_LIBVIRT_NICS.split(',') } : {}),
      })
    : null;
const demoAgents = config.VIREO_DEMO === '1' ? await startDemoAgents(engine, server.url, { except: realHost ? [REAL_HOST] : [] }) : null;
const where = database.kind === 'embedded' ? `embedded database in ${config.VIREO_DATA_DIR}` : 'PostgreSQL';
console.log(`engine ${engine.cluster.id}: ${engine.cluster.isLeader ? 'leader' : 'follower'}`);
console.log(`Vireo engine ready in ${Math.round(performance.now() - started)} ms on ${where}`);
console.log(`GraphQL and GraphiQL: ${server.url}`);
console.log(`Admin portal: http://${config.HOST}:${server.port}/  User portal: http://${config.HOST}:${server.port}/portal/`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  orphans.stop();
  await demoAgents?.stop();
  await realHost?.stop();
  await server.stop();
  await leaderLoops.stop();
  await engine.monitoring.stop();
  await engine.alerts.stop();
  await engine.warehouse.stop();
  await engine.reportSchedules.stop();
  await engine.hosts.close();
  await engine.cluster.stop();
  await engine.locks.close();
  await engine.login.close();
  await engine.pubsub.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
