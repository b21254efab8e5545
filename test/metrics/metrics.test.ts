// GET /metrics over real HTTP: refused without an API token of a System administrator, and with
// one, Prometheus's text format (parsed with a parser, as Prometheus would) holding what a user
// would see: a VM's memory after its host's agent reported it, the host's CPU, the engine's own
// figures (reports, open subscriptions, action latencies), and OpenMetrics when asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { wsSubscribe } from '../support/subscriptions.ts';
import { domain, hello, hostWithToken, report, send } from '../monitoring/support.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let metricsUrl: string;
beforeAll(async () => {
  t = await startTestEngine();
  server = await t.listen();
  metricsUrl = server.url.replace('/graphql', '/metrics');
});
afterAll(async () => {
  await server.stop();
  await t.engine.monitoring.stop();
  await t.close();
});

const ROGUE = '44444444-4444-4444-8444-444444444444';

async function apiToken(sessionToken: string, name: string): Promise<string> {
  const res = await t.gqlAs(
    sessionToken,
    `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { __typename
    ... on MutationCreateApiTokenSuccess { created { token } } ... on Error { code message } } }`,
    { i: { name, readOnly: true } },
  );
  if (res.data?.createApiToken?.__typename !== 'MutationCreateApiTokenSuccess') throw new Error(JSON.stringify(res));
  return res.data.createApiToken.created.token;
}

async function userToken(userName: string, role: string, on?: { object: string }) {
  const user = await mutate(t, 'addUser', { userName, password: `${userName}-pass12` }, 'user');
  const roles = (await t.gql('{ roles { id name } }')).data.roles;
  await mutate(t, 'addPermission', { role: roles.find((r: any) => r.name === role).id, user: user.id, ...on }, 'permission');
  return apiToken(await t.login(userName, `${userName}-pass12`), `${userName}-metrics`);
}

const scrape = (token: string | null, accept?: string) =>
  fetch(metricsUrl, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(accept ? { accept } : {}) } });

/** The scrape's metric families by name (and the text, for labelled histograms, which the parser folds into one series). */
async function families(token: string): Promise<Map<string, ParsedFamily> & { text: string }> {
  const res = await scrape(token);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  return Object.assign(new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f])), { text });
}

/** A labelled histogram's `_count`: parse-prometheus-text-format keeps one series per histogram, so its sample line is read. */
function histogramCount(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}_count{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function value(f: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const s = f.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return s?.value === undefined ? undefined : Number(s.value);
}

describe('/metrics', () => {
  let admin: string;
  let host: Awaited<ReturnType<typeof hostWithToken>>;
  beforeAll(async () => {
    host = await hostWithToken(t, 'mhost');
    admin = await apiToken(t.adminToken, 'prometheus');
  });

  it("refuses a scrape without a token, with a session token, and with a user's token who is no System administrator", async () => {
    const none = await scrape(null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.text()).not.toContain('vireo_agent_reports_total');
    expect((await scrape(t.adminToken)).status).toBe(401);
    expect((await scrape('vireo_api_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
    const vm = await mutate(t, 'addVm', { name: 'owned', cluster: host.clusterGid, memoryMb: 512 }, 'vm');
    const userVm = await scrape(await userToken('vmuser', 'UserRole', { object: vm.id }));
    expect(userVm.status).toBe(403);
    expect(await userVm.text()).toContain('administrator role');
  });

  it("shows a VM's memory and its host's CPU as the agent reported them, labelled by cluster and name", async () => {
    expect((await send(t, 'hello', host, hello)).errors).toBeUndefined();
    const guest = { hostname: 'rogue', ips: ['10.0.0.9'], memUsedMb: 1536, applications: [], loggedInUser: '' };
    expect((await send(t, 'report', host, report(3, [domain(ROGUE, 'rogue', 'UP', { guest })]))).errors).toBeUndefined();
    const cluster = (await t.gql('query($id: ID!) { node(id: $id) { ... on Cluster { name } } }', { id: host.clusterGid })).data.node.name;
    const f = await families(admin);
    expect(f.get('vireo_vm_memory_used_bytes')?.type).toBe('GAUGE');
    expect(value(f, 'vireo_vm_memory_used_bytes', { cluster, vm: 'rogue', host: 'mhost' })).toBe(1536 * 1024 * 1024);
    expect(value(f, 'vireo_vm_cpu_percent', { vm: 'rogue' })).toBe(12.5);
    expect(value(f, 'vireo_host_cpu_percent', { cluster, host: 'mhost' })).toBe(15);
    expect(value(f, 'vireo_host_memory_used_bytes', { host: 'mhost' })).toBe(8000 * 1024 * 1024);
    expect(value(f, 'vireo_host_status', { host: 'mhost', status: 'UP' })).toBe(1);
    expect(value(f, 'vireo_vm_status', { vm: 'owned', status: 'DOWN' })).toBe(1);
    // A VM that is not running has no current figures.
    expect(value(f, 'vireo_vm_memory_used_bytes', { vm: 'owned' })).toBeUndefined();
    expect(value(f, 'vireo_agent_reports_total')).toBe(1);

    // The next report moves the figures.
    await send(t, 'report', host, report(4, [domain(ROGUE, 'rogue', 'UP', { guest: { ...guest, memUsedMb: 2048 } })]));
    const after = await families(admin);
    expect(value(after, 'vireo_vm_memory_used_bytes', { vm: 'rogue' })).toBe(2048 * 1024 * 1024);
    expect(value(after, 'vireo_agent_reports_total')).toBe(2);
  });

  it('counts the open subscriptions and times the actions', async () => {
    const sub = wsSubscribe(server.url, t.adminToken, 'subscription { events { message } }', {});
    let open: number | undefined;
    for (let i = 0; i < 50 && open !== 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      open = value(await families(admin), 'vireo_subscriptions_open');
    }
    expect(open).toBe(1);
    await mutate(t, 'addDataCenter', { name: 'timed-dc' }, 'dataCenter');
    const refused = await t.gql('mutation($i: AddDataCenterInput!) { addDataCenter(input: $i) { __typename } }', {
      i: { name: 'timed-dc' },
    });
    expect(refused.data.addDataCenter.__typename).not.toMatch(/Success/);
    await sub.client.dispose();
    for (let i = 0; i < 50 && open !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      open = value(await families(admin), 'vireo_subscriptions_open');
    }
    expect(open).toBe(0);
    const f = await families(admin);
    const durations = f.get('vireo_action_duration_seconds')!;
    expect(durations.type).toBe('HISTOGRAM');
    expect(histogramCount(f.text, 'vireo_action_duration_seconds', 'action="AddDataCenter",outcome="succeeded"')).toBeGreaterThanOrEqual(1);
    expect(histogramCount(f.text, 'vireo_action_duration_seconds', 'action="AddDataCenter",outcome="refused"')).toBe(1);
    expect(value(f, 'vireo_monitoring_queue_jobs', { state: 'waiting' })).toBe(0);
  });

  it("a ReadOnlyAdmin's token may scrape; OpenMetrics when the scraper asks for it", async () => {
    const auditor = await userToken('auditor', 'ReadOnlyAdmin');
    expect((await families(auditor)).has('vireo_vm_memory_used_bytes')).toBe(true);
    const om = await scrape(auditor, 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5');
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const body = await om.text();
    expect(body).toContain('vireo_agent_reports_total');
    expect(body.trimEnd().endsWith('# EOF')).toBe(true);
  });
});
