// Hostile use of the WebSocket: bad documents are answered on their operation and the socket
// stays; operations per socket, sockets and operations per user are bounded; nodes(ids) too.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
let clients: Client[] = [];
/** Sockets the server closed (a disposed client's own close is reported later, so each close names its client). */
const closes: { client: Client; code: number }[] = [];
const closedNow = () => closes.filter((c) => clients.includes(c.client)).map((c) => c.code);

beforeAll(async () => {
  // Small limits, set as an operator would, so the test reaches them quickly.
  Object.assign(process.env, { VIREO_WS_MAX_OPERATIONS: '5', VIREO_MAX_SOCKETS_PER_USER: '3', VIREO_MAX_OPERATIONS_PER_USER: '8' });
  t = await startTestEngine();
  server = await t.listen();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await server.stop();
  await t.close();
  for (const k of ['VIREO_WS_MAX_OPERATIONS', 'VIREO_MAX_SOCKETS_PER_USER', 'VIREO_MAX_OPERATIONS_PER_USER']) delete process.env[k];
});

function socket(token = t.adminToken) {
  const client: Client = createClient({
    url: server.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` }, on: { closed: (e) => closes.push({ client, code: (e as { code: number }).code }) },
  });
  clients.push(client);
  return client;
}
async function disposeAll() { for (const c of clients) await c.dispose(); clients = []; }

/** Starts an operation; its outcome: the error codes (or messages) it got, or its results so far. */
function start(client: Client, query: string) {
  const results: any[] = [];
  const errors: string[] = [];
  client.subscribe({ query }, {
    next: (r) => results.push(r),
    error: (e) => { for (const x of Array.isArray(e) ? e : [e]) errors.push(x?.extensions?.code ?? x?.message ?? String(x)); },
    complete: () => {},
  });
  return { results, errors };
}
const EVENTS = 'subscription { events { message } }';
type Op = ReturnType<typeof start>;
const got = (o: Op, text: string) => o.results.some((r) => r.data?.events?.message?.includes(text));
let probes = 0;
/** Waits until every one of the subscriptions receives the event of a new data center. */
async function untilLive(ops: Op[]) {
  await vi.waitFor(async () => {
    const name = `probe-${++probes}`;
    await mutate(t, 'addDataCenter', { name }, 'dataCenter');
    await new Promise((r) => setTimeout(r, 300));
    if (!ops.every((o) => got(o, name))) throw new Error(`${name} did not reach every subscription`);
  }, { timeout: 30_000, interval: 100 });
}
const until = (check: () => boolean) => vi.waitFor(() => { if (!check()) throw new Error('not yet'); }, { timeout: 15_000, interval: 50 });

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
  const ids = Array.from({ length: 501 }, (_, i) => Buffer.from(`Vm:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64'));
  const res = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
  expect(res.data?.nodes ?? null).toBeNull();
  expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_INPUT' }, message: expect.stringContaining('at most 500 ids') });
  expect((await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids.slice(0, 500) })).data.nodes).toEqual(Array(500).fill(null));
});
