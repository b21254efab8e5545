// A subscription ends with its session or token: once the expiry has passed, an open stream
// carries nothing more (as after logout, disable or revocation), over graphql-ws and SSE.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { sseSubscribe, wsSubscribe } from '../support/subscriptions.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
const clients: Client[] = [];
beforeAll(async () => {
  t = await startTestEngine();
  server = await t.listen();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await server.stop();
  await t.close();
});

const EVENTS = 'subscription { events { message } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('stops streaming once the token has expired', async () => {
  const expiresAt = new Date(Date.now() + 4000);
  const res = await t.gql(
    `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { ... on MutationCreateApiTokenSuccess { created { token } } } }`,
    { i: { name: 'short-lived', expiresAt: expiresAt.toISOString() } },
  );
  const token: string = res.data.createApiToken.created.token;
  const ws = wsSubscribe(server.url, token, EVENTS, {});
  const watcher = wsSubscribe(server.url, t.adminToken, EVENTS, {});
  clients.push(ws.client, watcher.client);
  const sse = await sseSubscribe(t.yoga, EVENTS, {}, token);
  const sseNext = sse.events.next();
  await sleep(500); // subscribed
  await mutate(t, 'addDataCenter', { name: 'before-expiry' }, 'dataCenter');
  expect((await ws.next())?.data.events.message).toContain('before-expiry');
  expect((await watcher.next())?.data.events.message).toContain('before-expiry');
  expect((await sseNext).value.data.events.message).toContain('before-expiry');
  await sleep(Math.max(0, expiresAt.getTime() - Date.now()) + 200);
  await mutate(t, 'addDataCenter', { name: 'after-expiry' }, 'dataCenter');
  expect((await watcher.next())?.data.events.message).toContain('after-expiry'); // it was published
  expect(await ws.next(1500)).toBeNull();
  const late = await Promise.race([sse.events.next(), sleep(1500).then(() => null)]);
  expect(late).toBeNull();
  sse.abort();
});
