// Three engine processes on one PostgreSQL database and one Redis, agents and subscribers spread
// over them. The leader is killed (kill -9) while actions run and agents report: its agents
// report through the others within 10 s, another engine leads, no action stays locked or started,
// every subscriber ends up with every event of the event log (those of the dead engine come back
// with their last cursor, on another engine), and what was committed before the kill is there.
// Needs PostgreSQL (several processes on one database): it runs in the suite's PostgreSQL pass
// (DATABASE_URL set, as .ci/run does); the embedded database cannot be shared by processes.
import { until } from '../support/until.ts';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SimulatedHypervisor } from '../../agent/drivers/simulated.ts';
import { startAgent, type Agent } from '../../agent/session.ts';
import { withDatabase } from '../support/databaseUrl.ts';
import { loginAdmin, post, startEngineProcess, type EngineProcess } from '../support/engineProcess.ts';
import { redisAvailable, startRedis, type RedisServer } from '../support/redisServer.ts';
import { wsSubscribe } from '../support/subscriptions.ts';

const templateUrl = process.env.DATABASE_URL ? inject('templateUrl') : null;
const SUBSCRIBE = 'subscription($after: String) { changes(after: $after) { cursor topic objectId } }';
const INSTANCES = '{ engineInstances { id url leader alive } }';
type Sub = ReturnType<typeof wsSubscribe>;

describe.skipIf(!templateUrl)('several engines behind one PostgreSQL and one Redis', () => {
  let redis: RedisServer | null = null;
  let dbName = '';
  let dataDir = '';
  const engines: EngineProcess[] = [];
  const agents: Agent[] = [];
  const subs: Sub[] = [];
  let token = '';
  let dc = '';

  beforeAll(async () => {
    if (!redisAvailable) throw new Error('redis-server is not installed (.ci/peers.sh installs it)');
    redis = await startRedis();
    dbName = `vireo_test_${process.pid}_engines_${Date.now()}`;
    const admin = new pg.Client({ connectionString: withDatabase(templateUrl!, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName} TEMPLATE ${new URL(templateUrl!).pathname.slice(1)}`);
    await admin.end();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vireo-engines-'));
    const env = { DATABASE_URL: withDatabase(templateUrl!, dbName), REDIS_URL: redis.url, VIREO_DEMO: '0', VIREO_DATA_DIR: dataDir };
    // One after the other: the first makes the secret key file the others read.
    for (let i = 0; i < 3; i++) engines.push(await startEngineProcess(env));
  }, 300_000);

  afterAll(async () => {
    for (const s of subs) await s.client.dispose();
    for (const a of agents) await a.stop();
    for (const e of engines) await e.kill('SIGKILL');
    await redis?.stop();
    if (dbName) {
      const admin = new pg.Client({ connectionString: withDatabase(templateUrl!, 'postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('survives kill -9 of the leading engine during actions and ingest', async () => {
    token = await loginAdmin(engines[0]!.url);
    const gql = async (i: number, q: string, v?: Record<string, unknown>) => {
      const res = await post(engines[i]!.url, q, v, token);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data;
    };
    // The first engine leads; all three are listed alive.
    const instances = (await gql(1, INSTANCES)).engineInstances as { url: string; leader: boolean; alive: boolean }[];
    expect(instances.filter((e) => e.alive)).toHaveLength(3);
    expect(instances.filter((e) => e.leader).map((e) => e.url)).toEqual([engines[0]!.url]);
    const start = (await gql(0, '{ changes(first: 1000) { cursor } }')).changes.cursor as string;

    dc = (await gql(0, 'mutation { addDataCenter(input: { name: "E" }) { ... on MutationAddDataCenterSuccess { dataCenter { id } } } }'))
      .addDataCenter.dataCenter.id;
    const cl = (
      await gql(
        1,
        'mutation($dc: ID!) { addCluster(input: { name: "E", dataCenter: $dc }) { ... on MutationAddClusterSuccess { cluster { id } } } }',
        {
          dc,
        },
      )
    ).addCluster.cluster.id;
    const hosts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const h = (
        await gql(
          i,
          'mutation($n: String!, $a: String!, $cl: ID!) { addHost(input: { name: $n, address: $a, cluster: $cl }) { ... on MutationAddHostSuccess { host { id } } } }',
          { n: `e${i}`, a: `e${i}.example.org`, cl },
        )
      ).addHost.host.id;
      hosts.push(h);
      const agentToken = (
        await gql(
          i,
          'mutation($h: ID!) { issueHostAgentToken(input: { hostId: $h }) { ... on MutationIssueHostAgentTokenSuccess { agentToken { token } } } }',
          { h },
        )
      ).issueHostAgentToken.agentToken.token;
      // Agent i starts on engine i, then tries the others in turn.
      const urls = [0, 1, 2].map((k) => engines[(i + k) % 3]!.url);
      agents.push(
        startAgent({
          engineUrl: urls,
          hostName: `e${i}`,
          token: agentToken,
          driver: new SimulatedHypervisor({ hostName: `e${i}`, bootMs: 300 }),
          intervalMs: 300,
          log: () => {},
        }),
      );
    }
    const HOSTS = 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Host { status lastSeenAt } } }';
    await until('the hosts to come Up', async () =>
      ((await gql(1, HOSTS, { ids: hosts })).nodes as { status: string }[]).every((h) => h.status === 'UP'),
    );
    const vms: string[] = [];
    for (let i = 0; i < 6; i++)
      vms.push(
        (
          await gql(
            i % 3,
            'mutation($n: String!, $cl: ID!) { addVm(input: { name: $n, cluster: $cl }) { ... on MutationAddVmSuccess { vm { id } } } }',
            { n: `ev${i}`, cl },
          )
        ).addVm.vm.id,
      );
    // A subscriber on each engine, from the start cursor.
    for (const e of engines) subs.push(wsSubscribe(e.url, token, SUBSCRIBE, { after: start }));

    // Actions through every engine; those sent to the leader are still running when it is killed.
    const RUN = 'mutation($id: ID!) { runVm(input: { id: $id }) { __typename } }';
    const running = vms.map((id, i) => post(engines[i % 3]!.url, RUN, { id }, token).catch(() => null));
    await new Promise((r) => setTimeout(r, 150));
    const killedAt = Date.now();
    await engines[0]!.kill('SIGKILL');

    // Its agents report through the other engines within 10 s.
    await until(
      'every host to report after the kill',
      async () =>
        ((await gql(1, HOSTS, { ids: hosts })).nodes as { lastSeenAt: string }[]).every(
          (h) => new Date(h.lastSeenAt).getTime() > killedAt + 500,
        ),
      10_000,
    );
    // Another engine leads.
    const leader = await until(
      'another engine to lead',
      async () =>
        ((await gql(1, INSTANCES)).engineInstances as { url: string; leader: boolean }[]).find(
          (e) => e.leader && e.url !== engines[0]!.url,
        ),
      10_000,
    );
    expect([engines[1]!.url, engines[2]!.url]).toContain(leader.url);
    console.log(`leader moved after ${Date.now() - killedAt} ms`);
    await Promise.all(running);

    // No action stays started or locked: the dead engine's are recovered (heartbeat silent 15 s), their locks expired.
    await until(
      'no job left started',
      async () =>
        ((await gql(1, '{ jobs(first: 100) { edges { node { status } } } }')).jobs.edges as { node: { status: string } }[]).every(
          (e) => e.node.status !== 'STARTED',
        ),
      60_000,
    );
    // A lock the dead engine held expires (within 10 s) even where no job of it was left started.
    await until(
      'no VM left locked',
      async () => {
        for (const id of vms) {
          const check = (await gql(2, 'query($id: ID!) { canRunVm(input: { id: $id }) { reasons { code } } }', { id })).canRunVm;
          if (check.reasons.some((r: { code: string }) => r.code === 'LOCKED')) return false;
        }
        return true;
      },
      20_000,
    );
    // Committed before the kill: every object is there.
    expect(
      ((await gql(2, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [dc, cl, ...hosts, ...vms] })).nodes as unknown[]).every(
        Boolean,
      ),
    ).toBe(true);

    // Every event of the event log reaches every subscriber: the dead engine's subscriber comes back
    // on another engine with its last cursor.
    const mark = await gql(
      1,
      'mutation { addDataCenter(input: { name: "E-end" }) { ... on MutationAddDataCenterSuccess { dataCenter { id } } } }',
    );
    const endId = mark.addDataCenter.dataCenter.id as string;
    const drain = async (s: Sub, into: { cursor: string; topic: string; objectId: string }[]) => {
      for (;;) {
        const r = await s.next(3000);
        if (!r || r.errors) return;
        into.push(r.data.changes);
        if (r.data.changes.objectId === endId) return;
      }
    };
    const got: { cursor: string; topic: string; objectId: string }[][] = [[], [], []];
    for (let i = 0; i < 3; i++) await drain(subs[i]!, got[i]!);
    const last = got[0]!.at(-1)?.cursor ?? start;
    subs[0] = wsSubscribe(engines[1]!.url, token, SUBSCRIBE, { after: last });
    await drain(subs[0], got[0]!);
    let feed: { cursor: string; topic: string; objectId: string }[] = [];
    for (let after = start; ; ) {
      const page = (
        await gql(2, 'query($a: String) { changes(after: $a, first: 1000) { cursor changes { cursor topic objectId } } }', { a: after })
      ).changes;
      feed = feed.concat(page.changes);
      if (page.changes.length < 1000) break;
      after = page.cursor;
    }
    const events = (rows: { topic: string; objectId: string }[]) => rows.filter((c) => c.topic === 'event').map((c) => c.objectId);
    const logged = events(feed.slice(0, feed.findIndex((c) => c.objectId === endId) + 1));
    expect(logged.length).toBeGreaterThan(10);
    // The event log itself (the events query) holds the same events.
    const eventLog = (await gql(2, '{ events(first: 1000) { edges { node { id } } } }')).events.edges.map(
      (e: { node: { id: string } }) => e.node.id,
    );
    for (const id of logged) expect(eventLog).toContain(id);
    for (let i = 0; i < 3; i++) expect(new Set(events(got[i]!)), `subscriber ${i}`).toEqual(new Set(logged));
  }, 240_000);

  it('a storage alert fires once, though each engine ingests reports of the hosts that reach the domain', async () => {
    // After the kill: two engines, each with agents of the data center's hosts (all three reach the domain).
    const gql = async (i: number, q: string, v?: Record<string, unknown>) => {
      const res = await post(engines[i]!.url, q, v, token);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data;
    };
    const dir = path.join(dataDir, 'domains', 'e-local');
    await fs.mkdir(dir, { recursive: true });
    const added = (
      await gql(
        1,
        `mutation($dc: ID!, $path: String!) { addStorageDomain(input: { name: "e-local", dataCenter: $dc, path: $path, storageType: LOCALFS }) {
          __typename ... on Error { message } } }`,
        { dc, path: dir },
      )
    ).addStorageDomain;
    expect(added.__typename, JSON.stringify(added)).toBe('MutationAddStorageDomainSuccess');
    // Always true (a file system holds some of its own blocks): every engine that evaluates it would fire.
    const rule = (
      await gql(
        2,
        `mutation { addAlertRule(input: { name: "e-free", kind: THRESHOLD, subject: STORAGE_DOMAIN, figure: FREE_PERCENT, comparison: BELOW, threshold: 100 }) {
          __typename } }`,
      )
    ).addAlertRule;
    expect(rule.__typename).toBe('MutationAddAlertRuleSuccess');
    const open = async () =>
      (
        (await gql(1, '{ alerts(first: 100, firing: true) { edges { node { message } } } }')).alerts.edges as {
          node: { message: string };
        }[]
      )
        .map((e) => e.node.message)
        .filter((m) => m.includes('e-free'));
    await until('the storage alert to fire', async () => (await open()).length > 0, 40_000);
    // Each engine reads storage domains every 10 s of reports: wait past two rounds.
    await new Promise((r) => setTimeout(r, 25_000));
    expect(await open()).toHaveLength(1);
  }, 120_000);
});
