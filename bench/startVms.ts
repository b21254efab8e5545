// How long it takes to start 1,000 VMs on 50 simulated hosts through the API, placement
// included, and the p99 of one placement decision at that size.
//   npx tsx bench/startVms.ts [--vms 1000] [--hosts 50] [--concurrency 16]
// One process: the engine (embedded database in memory, or DATABASE_URL) serving HTTP on a free
// port, 50 simulated agents connected over graphql-ws as real agents are, and a client sending
// `runVm` mutations over HTTP with the admin's session. The VM definitions are inserted directly
// (creating them is not what is measured); every start goes through the API and the scheduler.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db.ts';
import { createEngine } from '../server/engine.ts';
import { ensureInitialAdmin } from '../server/auth/initialAdmin.ts';
import { createYogaApp } from '../server/http/app.ts';
import { listen } from '../server/http/listen.ts';
import { SimulatedHypervisor } from '../agent/drivers/simulated.ts';
import { startAgent, type Agent } from '../agent/session.ts';
import { schedule } from '../server/scheduler/schedule.ts';
import type { HostCandidate } from '../server/scheduler/types.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';

const { values } = parseArgs({
  options: {
    vms: { type: 'string', default: '1000' },
    hosts: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '16' },
  },
});
const VMS = Number(values.vms),
  HOSTS = Number(values.hosts),
  CONCURRENCY = Number(values.concurrency);

const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: 'memory://' });
const engine = createEngine(database);
await ensureInitialAdmin(engine.db, 'bench-password');
const server = await listen(createYogaApp(engine), '127.0.0.1', 0);
let token = '';
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });
/** One POST; a kept-alive socket the server closed meanwhile is retried (Node's documented pattern). */
function post(body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      server.url,
      {
        method: 'POST',
        agent: keepAlive,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          data += c;
        });
        res.on('end', () => resolve(data));
        res.on('error', reject);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      req.reusedSocket && err.code === 'ECONNRESET' ? post(body).then(resolve, reject) : reject(err),
    );
    req.end(body);
  });
}
async function gql(query: string, variables: Record<string, unknown> = {}) {
  const body = JSON.parse(await post(JSON.stringify({ query, variables }))) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}
async function mutate(name: string, input: Record<string, unknown>, field: string) {
  const T = name[0]!.toUpperCase() + name.slice(1);
  const d = await gql(
    `mutation($i: ${T}Input!) { ${name}(input: $i) { __typename ... on Error { message } ... on Mutation${T}Success { ${field} { id } } } }`,
    { i: input },
  );
  if (!d[name][field]) throw new Error(`${name}: ${JSON.stringify(d[name])}`);
  return d[name][field].id as string;
}
token = (
  await gql(
    `mutation { login(input: { userName: "admin", password: "bench-password" }) { ... on MutationLoginSuccess { session { token } } } }`,
  )
).login.session.token;

// Inventory through the API: a data center, a cluster, the hosts with their agents' tokens.
const dc = await mutate('addDataCenter', { name: 'bench-dc' }, 'dataCenter');
const cluster = await mutate('addCluster', { name: 'bench-cluster', dataCenter: dc }, 'cluster');
const agents: Agent[] = [];
for (let i = 1; i <= HOSTS; i++) {
  const name = `bench-h${String(i).padStart(2, '0')}`;
  const host = await mutate('addHost', { name, address: `${name}.example.org`, cluster }, 'host');
  const t = (
    await gql(
      `mutation($i: IssueHostAgentTokenInput!) { issueHostAgentToken(input: $i) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
      { i: { hostId: host } },
    )
  ).issueHostAgentToken.agentToken.token;
  const driver = new SimulatedHypervisor({ hostName: name, seed: i, memoryMb: 128 * 1024, bootMs: 2000 });
  agents.push(startAgent({ engineUrl: server.url, hostName: name, token: t, driver, intervalMs: 2000, log: () => {} }));
}
const clusterId = (await engine.db.cluster.findFirstOrThrow({ where: { name: 'bench-cluster' } })).id;
for (;;) {
  const up = await engine.db.host.count({ where: { clusterId, status: 'UP' } });
  const hostIds = (await engine.db.host.findMany({ where: { clusterId }, select: { id: true } })).map((h) => h.id);
  if (up === HOSTS && hostIds.every((id) => engine.hosts.isConnected(id))) break;
  await new Promise((r) => setTimeout(r, 100));
}
await engine.db.vm.createMany({
  data: Array.from({ length: VMS }, (_, i) => ({
    name: `bench-vm${String(i).padStart(4, '0')}`,
    clusterId,
    memoryMb: 2048,
    guaranteedMemoryMb: 2048,
    cpuCores: 2,
  })),
});
const vmIds = (await engine.db.vm.findMany({ where: { clusterId }, select: { id: true }, orderBy: { name: 'asc' } })).map((v) => v.id);
console.log(`${HOSTS} hosts Up with their agents connected; ${VMS} VMs defined; starting them with ${CONCURRENCY} concurrent clients…`);

// The measured part: every VM started through runVm, the scheduler choosing the host.
const latencies: number[] = [];
const jobIds: string[] = [];
let next = 0,
  refused = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < vmIds.length) {
      const id = vmIds[next++]!;
      const s = performance.now();
      const d = await gql(
        `mutation($i: RunVmInput!) { runVm(input: $i) { __typename ... on Error { message } ... on MutationRunVmSuccess { result { job { id } } } } }`,
        { i: { id: encodeGlobalID('Vm', id) } },
      );
      latencies.push(performance.now() - s);
      if (d.runVm.__typename !== 'MutationRunVmSuccess') {
        refused++;
        console.error(d.runVm);
      } else jobIds.push(d.runVm.result.job.id);
      if (latencies.length % 100 === 0)
        console.log(`  ${latencies.length} runVm answered after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }),
);
const accepted = performance.now() - t0;
for (;;) {
  const up = await engine.db.vm.count({ where: { clusterId, status: 'UP' } });
  if (up + refused >= VMS) break;
  await new Promise((r) => setTimeout(r, 100));
}
const allUp = performance.now() - t0;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
};
const perHost = await engine.db.vm.groupBy({ by: ['hostId'], where: { clusterId, status: 'UP' }, _count: { _all: true } });
const counts = perHost.map((h) => h._count._all);
const { decideMs, totalMs } = engine.scheduler.timings;

// The pure decision in isolation, on a snapshot of this size (50 hosts, 1,000 VMs placed).
const snapshot: HostCandidate[] = Array.from({ length: HOSTS }, (_, i) => ({
  id: `h${i}`,
  name: `h${i}`,
  status: 'UP',
  memoryMb: 128 * 1024,
  committedMb: 20 * 2048 + (i % 7) * 2048,
  cpuCores: 16,
  vmCount: 20,
  networkIds: ['n1'],
}));
const pure: number[] = [];
for (let i = 0; i < 5000; i++) {
  const s = performance.now();
  schedule(
    snapshot,
    { id: 'v', name: 'v', memoryMb: 2048, vcpus: 2, networkIds: ['n1'], highlyAvailable: false, running: false, affinity: [] },
    { memoryOvercommitPercent: 100, schedulingPolicy: 'evenly_distributed', networkNames: new Map() },
  );
  pure.push(performance.now() - s);
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
console.log(`\nstarted ${VMS - refused} of ${VMS} VMs on ${HOSTS} hosts through the API (${refused} refused)`);
console.log(
  `  all runVm mutations accepted by the agents: ${(accepted / 1000).toFixed(1)} s (${((VMS - refused) / (accepted / 1000)).toFixed(0)} starts/s)`,
);
console.log(`  all VMs reported Up by the agents:          ${(allUp / 1000).toFixed(1)} s (guest boot 2 s, reports every 2 s)`);
console.log(`  runVm latency p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}`);
console.log(`  VMs per host: min ${Math.min(...counts)}, max ${Math.max(...counts)}`);
console.log(
  `placement decision (filters + weights, ${HOSTS} hosts) during the run: p50 ${ms(pct(decideMs, 50))}, p99 ${ms(pct(decideMs, 99))}`,
);
console.log(`placement including the cluster snapshot read from the database: p50 ${ms(pct(totalMs, 50))}, p99 ${ms(pct(totalMs, 99))}`);
console.log(`pure decision in isolation (5,000 runs on a ${HOSTS}-host snapshot): p50 ${ms(pct(pure, 50))}, p99 ${ms(pct(pure, 99))}`);

keepAlive.destroy();
await Promise.all(agents.map((a) => a.stop()));
await server.stop();
await engine.monitoring.stop();
await database.close();
process.exit(0);
