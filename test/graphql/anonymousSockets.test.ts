// One client address cannot hold many GraphQL WebSockets open without showing who it is: a socket
// counts until its connection_init carries a valid session or host agent token; beyond
// VIREO_MAX_ANONYMOUS_SOCKETS a new one is closed at once (4430), and a silent one is closed when
// graphql-ws's connection_init deadline passes (4408). All sockets here come from 127.0.0.1, as
// agents do.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';
import { issueAgentToken } from '../support/simulatedHosts.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
const open: WebSocket[] = [];

beforeAll(async () => {
  process.env.VIREO_MAX_ANONYMOUS_SOCKETS = '3';
  t = await startTestEngine();
  server = await t.listen();
});
afterAll(async () => {
  for (const ws of open) ws.terminate();
  await server.stop();
  await t.close();
  delete process.env.VIREO_MAX_ANONYMOUS_SOCKETS;
});

/** A graphql-ws socket; with `init`, it sends connection_init with these params and waits for the ack. */
async function socket(init?: Record<string, unknown>) {
  const ws = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  open.push(ws);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const state = { ws, closed, acked: false, closedWith: null as null | { code: number; reason: string } };
  void closed.then((c) => {
    state.closedWith = c;
  });
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('close', () => resolve());
  });
  if (init && ws.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify({ type: 'connection_init', payload: init }));
    await new Promise<void>((resolve) => {
      ws.on('message', (m) => {
        if (JSON.parse(m.toString()).type === 'connection_ack') {
          state.acked = true;
          resolve();
        }
      });
      ws.once('close', () => resolve());
    });
  }
  // A refused socket is closed right after the upgrade.
  await new Promise((r) => setTimeout(r, 100));
  return state;
}

it('closes the sockets of one address beyond the limit until they show a valid token; agents and users are not counted', async () => {
  const { cluster } = await buildInventory(t, 'A');
  const host = await mutate(t, 'addHost', { name: 'anon-h1', address: 'anon-h1.example.org', cluster: cluster.id }, 'host');
  const agentToken = await issueAgentToken(t, host.id);
  // A logged-in user's and an agent's sockets (connection_init with their tokens) do not count.
  const user = await socket({ authorization: `Bearer ${t.adminToken}` });
  const agent = await socket({ host: 'anon-h1', token: agentToken });
  // connection_init without a token, or with a wrong one, leaves the socket counted; so does silence.
  const anonymous = await socket({});
  const badToken = await socket({ authorization: 'Bearer vireo_not-a-real-token-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' });
  const silent = await socket();
  expect([user.acked, agent.acked, anonymous.acked, badToken.acked]).toEqual([true, true, true, true]);
  expect([user, agent, anonymous, badToken, silent].map((s) => s.closedWith)).toEqual([null, null, null, null, null]);

  const fourth = await socket({ authorization: `Bearer ${t.adminToken}` });
  expect(fourth.closedWith).toEqual({ code: 4430, reason: 'Too many unauthenticated WebSockets from this address' });
  expect(fourth.acked).toBe(false);

  // The silent socket is closed at graphql-ws's connection_init deadline; its place is free again.
  expect(await silent.closed).toMatchObject({ code: 4408 });
  const next = await socket({ authorization: `Bearer ${t.adminToken}` });
  expect([next.acked, next.closedWith]).toEqual([true, null]);
  // Identified, it no longer counts: another socket fits.
  const another = await socket();
  expect(another.closedWith).toBe(null);
  // Closing an anonymous socket frees its place too.
  anonymous.ws.close();
  await anonymous.closed;
  await vi.waitFor(async () => {
    const s = await socket();
    expect(s.closedWith).toBe(null);
  });
  expect([user.closedWith, agent.closedWith]).toEqual([null, null]);
});
