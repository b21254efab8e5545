// Real processes: an engine process takes reports from simulated hosts (their VMs changing state
// while samples flow) and is killed with kill -9 in the middle. Samples are written in batches, so
// a kill may lose the last batch of them, but never a state change: started again, the engine
// shows every host and VM as the agents last reported it (before any agent is back), its stored
// samples at most one batch old; and once the agents are back, as they report it.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/freePort.ts';
import { until } from '../support/until.ts';
import { afterAll, expect, it } from 'vitest';
import { loginAdmin, post, startEngineProcess, type EngineProcess } from '../support/engineProcess.ts';
import { SimulatedHypervisor } from '../../agent/drivers/simulated.ts';
import { startAgent, type Agent } from '../../agent/session.ts';
import type { DomainSpec } from '../../protocol/messages.ts';

const HOSTS = 6;
const VMS_PER_HOST = 3;
const INTERVAL_MS = 200;
/** The engine's batch period for samples (VIREO_STATS_FLUSH_MS). */
const FLUSH_MS = 1000;

let dataDir = '';
let engine: EngineProcess | null = null;
let agents: Agent[] = [];
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await engine?.kill('SIGKILL');
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

const spec = (host: number, i: number) =>
  ({
    id: `00000000-0000-4000-8000-${String(host * 100 + i).padStart(12, '0')}`,
    name: `h${host}-vm${i}`,
    memoryMb: 1024,
    vcpus: 1,
    osType: 'other',
  }) satisfies DomainSpec;

it('loses no state change to a kill -9 during ingest, and at most the last batch of samples', async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-ingest-kill-'));
  const env = {
    VIREO_DATA_DIR: dataDir,
    DATABASE_URL: '',
    VIREO_DEMO: '0',
    PORT: String(await freePort()),
    VIREO_STATS_FLUSH_MS: String(FLUSH_MS),
    // What the engine shows after the kill, before any agent is back, is what was committed: no host is judged silent meanwhile.
    VIREO_HOST_TIMEOUT_MS: '300000',
  };
  engine = await startEngineProcess(env);
  let token = await loginAdmin(engine.url);
  const gql = async (q: string, v?: Record<string, unknown>) => {
    const res = await post(engine!.url, q, v, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data;
  };
  const dc = (await gql('mutation { addDataCenter(input: { name: "IK" }) { ... on MutationAddDataCenterSuccess { dataCenter { id } } } }'))
    .addDataCenter.dataCenter.id;
  const cl = (
    await gql(
      'mutation($dc: ID!) { addCluster(input: { name: "IK", dataCenter: $dc }) { ... on MutationAddClusterSuccess { cluster { id } } } }',
      {
        dc,
      },
    )
  ).addCluster.cluster.id;
  // Each host runs VMs the engine did not start: its first report records them (external VMs).
  const sims: SimulatedHypervisor[] = [];
  const tokens: string[] = [];
  for (let h = 0; h < HOSTS; h++) {
    const host = (
      await gql(
        'mutation($cl: ID!, $n: String!, $a: String!) { addHost(input: { name: $n, address: $a, cluster: $cl }) { ... on MutationAddHostSuccess { host { id } } } }',
        { cl, n: `ik${h}`, a: `ik${h}.example.org` },
      )
    ).addHost.host.id;
    tokens.push(
      (
        await gql(
          `mutation($h: ID!) { issueHostAgentToken(input: { hostId: $h }) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }`,
          { h: host },
        )
      ).issueHostAgentToken.agentToken.token,
    );
    sims.push(
      new SimulatedHypervisor({
        hostName: `ik${h}`,
        running: Array.from({ length: VMS_PER_HOST }, (_, i) => spec(h, i)),
        shutdownMs: 300,
      }),
    );
  }
  /** When each agent last had a report answered. */
  const answered = new Array<number>(HOSTS).fill(0);
  const startAgents = (url: string) => {
    agents = sims.map((driver, h) =>
      startAgent({
        engineUrl: url,
        hostName: `ik${h}`,
        token: tokens[h]!,
        driver,
        intervalMs: INTERVAL_MS,
        log: () => {},
        onReported: () => {
          answered[h] = Date.now();
        },
      }),
    );
  };
  startAgents(engine.url);

  const STATE = `{ hosts(first: 100) { edges { node { name status statistics { sampledAt } } } }
    vms(first: 500) { edges { node { name status host { name } } } } }`;
  type State = {
    hosts: { edges: { node: { name: string; status: string; statistics: { sampledAt: string } | null } }[] };
    vms: { edges: { node: { name: string; status: string; host: { name: string } | null } }[] };
  };
  /** Every VM's status as the hosts' hypervisors have it now (a domain no longer listed is Down). */
  const truth = async () => {
    const out: Record<string, string> = {};
    for (const [h, sim] of sims.entries()) {
      const listed = new Map((await sim.listDomains()).map((d) => [d.name, d.state as string]));
      for (let i = 0; i < VMS_PER_HOST; i++) out[spec(h, i).name] = listed.get(spec(h, i).name) ?? 'DOWN';
    }
    return sorted(out);
  };
  const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const shown = (s: State) => sorted(Object.fromEntries(s.vms.edges.map((e) => [e.node.name, e.node.status])));
  await until('every host Up and every VM recorded Up', async () => {
    const s: State = await gql(STATE);
    return (
      s.hosts.edges.every((e) => e.node.status === 'UP') &&
      s.vms.edges.filter((e) => e.node.status === 'UP').length === HOSTS * VMS_PER_HOST
    );
  });

  // 1. State changes on every host (a crash, a pause, a clean shutdown), all reported and
  // answered; then samples only, and the kill lands while they flow.
  for (let h = 0; h < HOSTS; h++) {
    sims[h]!.inject({ kind: 'crash', vmId: spec(h, 0).id });
    await sims[h]!.pause(spec(h, 1).id);
    if (h % 2) await sims[h]!.shutdown(spec(h, 2).id);
  }
  const changedAt = Date.now();
  await new Promise((r) => setTimeout(r, 600)); // the shutdowns finish (300 ms)
  const before = await truth();
  await until('every agent answered after the changes settled', async () => answered.every((t) => t > changedAt + 800));
  const settled: State = await gql(STATE);
  expect(shown(settled)).toEqual(before);
  await new Promise((r) => setTimeout(r, 1.5 * FLUSH_MS)); // ingest goes on: samples only
  await engine.kill('SIGKILL');
  const killedAt = Date.now();
  await Promise.all(agents.map((a) => a.stop())); // no agent tells the next engine anything

  engine = await startEngineProcess(env);
  token = await loginAdmin(engine.url);
  const afterKill: State = await gql(STATE);
  // Every state change was committed before its report was answered: none is lost.
  expect(shown(afterKill)).toEqual(before);
  expect(afterKill.hosts.edges.map((e) => e.node.status)).toEqual(new Array(HOSTS).fill('UP'));
  // Samples: at most the last batch (its period, plus one report interval and the time to die) is missing.
  for (const e of afterKill.hosts.edges) {
    expect(e.node.statistics).not.toBeNull();
    expect(killedAt - new Date(e.node.statistics!.sampledAt).getTime()).toBeLessThan(FLUSH_MS + INTERVAL_MS + 1000);
  }

  // 2. The agents come back; while states keep changing, the engine is killed again mid-ingest.
  startAgents(engine.url);
  const restartedAt = Date.now();
  await until('every agent reporting to the new engine', async () => answered.every((t) => t > restartedAt), 90_000);
  for (let h = 0; h < HOSTS; h++) {
    await sims[h]!.resume(spec(h, 1).id);
    if (h % 2 === 0) sims[h]!.inject({ kind: 'crash', vmId: spec(h, 2).id });
  }
  await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
  await engine.kill('SIGKILL');
  const secondKill = Date.now();
  engine = await startEngineProcess(env);
  token = await loginAdmin(engine.url);
  await until('every agent reporting to the engine started again', async () => answered.every((t) => t > secondKill + 1000), 90_000);
  const now = await truth();
  const final: State = await until('the engine to show what the agents report', async () => {
    const s: State = await gql(STATE);
    return JSON.stringify(shown(s)) === JSON.stringify(now) ? s : null;
  });
  expect(shown(final)).toEqual(now);
  expect(final.hosts.edges.map((e) => e.node.status)).toEqual(new Array(HOSTS).fill('UP'));
  expect(Object.values(now).filter((s) => s === 'DOWN')).toHaveLength(HOSTS + HOSTS / 2 + HOSTS / 2);
}, 300_000);
