// Hostile use of the WebSocket: bad documents are answered on their operation and the socket
// stays; operations per socket, sockets and operations per user are bounded; so are a message's
// size and an operation's cost, as on HTTP, and nodes(ids).
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { sseSubscribe } from '../support/subscriptions.ts';

const LIMIT = 64 * 1024;
let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let clients: Client[] = [];
/** Sockets the server closed (a disposed client's own close is reported later, so each close names its client). */
const closes: { client: Client; code: number }[] = [];
const closedNow = () => closes.filter((c) => clients.includes(c.client)).map((c) => c.code);

beforeAll(async () => {
  // Small limits, set as an operator would, so the test reaches them quickly.
  Object.assign(process.env, {
    VIREO_WS_MAX_OPERATIONS: '5',
    VIREO_MAX_SOCKETS_PER_USER: '3',
    VIREO_MAX_OPERATIONS_PER_USER: '8',
    VIREO_MAX_REQUEST_BYTES: String(LIMIT),
  });
  t = await startTestEngine();
  server = await t.listen();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await server.stop();
  await t.close();
  for (const k of ['VIREO_WS_MAX_OPERATIONS', 'VIREO_MAX_SOCKETS_PER_USER', 'VIREO_MAX_OPERATIONS_PER_USER', 'VIREO_MAX_REQUEST_BYTES'])
    delete process.env[k];
});

function socket(token = t.adminToken) {
  const client: Client = createClient({
    url: server.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
    on: { closed: (e) => closes.push({ client, code: (e as { code: number }).code }) },
  });
  clients.push(client);
  return client;
}
async function disposeAll() {
  for (const c of clients) await c.dispose();
  clients = [];
}

/** Starts an operation; its outcome: the error codes (or messages) it got, or its results so far. */
function start(client: Client, query: string) {
  const results: any[] = [];
  const errors: string[] = [];
  client.subscribe(
    { query },
    {
      next: (r) => results.push(r),
      error: (e) => {
        for (const x of Array.isArray(e) ? e : [e]) errors.push(x?.extensions?.code ?? x?.message ?? String(x));
      },
      complete: () => {},
    },
  );
  return { results, errors };
}
const EVENTS = 'subscription { events { message } }';
type Op = ReturnType<typeof start>;
const got = (o: Op, text: string) => o.results.some((r) => r.data?.events?.message?.includes(text));
let probes = 0;
/** Waits until every one of the subscriptions receives the event of a new data center. */
async function untilLive(ops: Op[]) {
  await vi.waitFor(
    async () => {
      const name = `probe-${++probes}`;
      await mutate(t, 'addDataCenter', { name }, 'dataCenter');
      await new Promise((r) => setTimeout(r, 300));
      if (!ops.every((o) => got(o, name))) throw new Error(`${name} did not reach every subscription`);
    },
    { timeout: 30_000, interval: 100 },
  );
}
const until = (check: () => boolean) =>
  vi.waitFor(
    () => {
      if (!check()) throw new Error('not yet');
    },
    { timeout: 15_000, interval: 50 },
  );

it('answers a bad document on its operation only: the socket and its subscriptions stay', async () => {
  const client = socket();
  const live = start(client, EVENTS);
  await untilLive([live]);
  const syntax = start(client, 'subscription { events { message ');
  const huge = start(client, `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
  const unknown = start(client, '{ noSuchField }');
  await until(() => [syntax, huge, unknown].every((o) => o.errors.length > 0));
  expect(syntax.errors[0]).toMatch(/Syntax Error/);
  expect(huge.errors.length).toBe(1);
  expect(unknown.errors).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  const me = start(client, '{ me { userName } }');
  await until(() => me.results.length > 0);
  expect(me.results).toEqual([{ data: { me: { userName: 'admin' } } }]);
  await untilLive([live]);
  expect(closedNow()).toEqual([]);
  await disposeAll();
});

it('refuses operations beyond the per-socket and per-user limits with LIMIT_EXCEEDED; the rest keep streaming', async () => {
  const a = socket();
  const onA = Array.from({ length: 6 }, () => start(a, EVENTS));
  await until(() => onA[5]!.errors.length > 0);
  await untilLive(onA.slice(0, 5));
  expect(onA.map((o) => o.errors)).toEqual([[], [], [], [], [], ['LIMIT_EXCEEDED']]);
  const b = socket();
  const c = socket();
  const onB = [start(b, EVENTS), start(b, EVENTS)];
  const onC = start(c, EVENTS);
  await untilLive([...onB, onC]); // 5 + 2 + 1 = 8 operations: the user's limit
  const fourthSocket = start(socket(), EVENTS);
  const ninth = start(c, EVENTS);
  await until(() => fourthSocket.errors.length > 0 && ninth.errors.length > 0);
  expect([fourthSocket.errors, ninth.errors]).toEqual([['LIMIT_EXCEEDED'], ['LIMIT_EXCEEDED']]);
  // Another user is not held back by the administrator's sockets.
  const role = (await t.gql('{ roles { id name } }')).data.roles.find((r: any) => r.name === 'ReadOnlyAdmin').id;
  const ro = await mutate(t, 'addUser', { userName: 'ro', password: 'ropass123' }, 'user');
  await mutate(t, 'addPermission', { role, user: ro.id }, 'permission');
  const other = start(socket(await t.login('ro', 'ropass123')), EVENTS);
  await untilLive([...onA.slice(0, 5), ...onB, onC, other]);
  expect([...onA, ...onB, onC, other].map((o) => o.errors.length)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  expect(closedNow()).toEqual([]);
  await disposeAll();
});

it('refuses nodes(ids) with more than 500 ids before reading anything', async () => {
  const ids = Array.from({ length: 501 }, (_, i) =>
    Buffer.from(`Vm:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64'),
  );
  const res = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
  expect(res.data?.nodes ?? null).toBeNull();
  expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_INPUT' }, message: expect.stringContaining('at most 500 ids') });
  expect((await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids.slice(0, 500) })).data.nodes).toEqual(
    Array(500).fill(null),
  );
});

it('closes a socket whose message is larger than an HTTP request may be (1009); HTTP answers 413', async () => {
  const padded = (bytes: number) => `{ me { userName } } # ${'x'.repeat(bytes)}`;
  const a = socket();
  const fits = start(a, padded(LIMIT - 1024));
  await until(() => fits.results.length > 0);
  expect(fits.results).toEqual([{ data: { me: { userName: 'admin' } } }]);
  start(a, padded(LIMIT));
  await until(() => closedNow().length > 0);
  expect(closedNow()).toEqual([1009]);
  const http = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` },
    body: JSON.stringify({ query: padded(LIMIT) }),
  });
  expect(http.status).toBe(413);
  await disposeAll();
});

it('refuses a costly query or subscription on WebSocket and SSE before it starts', async () => {
  const dc = await mutate(t, 'addDataCenter', { name: 'costly' }, 'dataCenter');
  const cluster = await mutate(t, 'addCluster', { name: 'costly', dataCenter: dc.id }, 'cluster');
  const rows = 'vms(first: 500) { edges { node { cluster { vms(first: 500) { edges { node { id name } } } } } } }';
  let deep = 'id';
  for (let i = 0; i < 7; i++) deep = `cluster { vms(first: 1) { edges { node { ${deep} } } } }`;
  const a = socket();
  const query = start(a, `{ ${rows} }`);
  // No VM in the cluster: without the check at the start, these would wait silently for an event.
  const costly = start(a, `subscription { vmUpdated(clusterId: "${cluster.id}") { cluster { ${rows} } } }`);
  const nested = start(a, `subscription { vmUpdated(clusterId: "${cluster.id}") { ${deep} } }`);
  await until(() => [query, costly, nested].every((o) => o.results.length > 0));
  const codes = (o: Op) => o.results.flatMap((r) => r.errors ?? []).map((e: any) => e.extensions?.code);
  expect([codes(query), codes(costly), codes(nested)]).toEqual([['QUERY_TOO_COMPLEX'], ['QUERY_TOO_COMPLEX'], ['QUERY_TOO_COMPLEX']]);
  expect(costly.results[0].errors[0].message).toMatch(/complexity/);
  expect(nested.results[0].errors[0].message).toMatch(/depth/);
  const sse = await sseSubscribe(t.yoga, `subscription($c: ID) { vmUpdated(clusterId: $c) { ${deep} } }`, { c: cluster.id }, t.adminToken);
  const first = await sse.events.next();
  sse.abort();
  expect(first.value?.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  // Within the limits, the same subscription starts and stays open.
  const fine = start(a, `subscription { vmUpdated(clusterId: "${cluster.id}") { id cluster { name } } }`);
  await untilLive([start(a, EVENTS)]);
  expect([fine.results, fine.errors]).toEqual([[], []]);
  expect(closedNow()).toEqual([]);
  await disposeAll();
});

it('refuses nodes(ids) with more than 500 ids on WebSocket too', async () => {
  const ids = Array.from({ length: 501 }, (_, i) =>
    Buffer.from(`Vm:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64'),
  );
  const a = socket();
  const results: any[] = [];
  a.subscribe(
    { query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } },
    { next: (r) => results.push(r), error: () => {}, complete: () => {} },
  );
  await until(() => results.length > 0);
  expect(results[0].errors?.[0]).toMatchObject({ extensions: { code: 'BAD_INPUT' }, message: expect.stringContaining('at most 500 ids') });
  await disposeAll();
});
