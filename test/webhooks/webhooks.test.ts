// Webhooks against a real HTTP receiver on loopback: the engine runs the user's subscription
// document with that user's permissions and POSTs each result in exactly its shape, signed
// (HMAC-SHA256 of the body), in order, retried after a 500; given-up deliveries show in the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startWebhooks } from '../../server/http/webhookRunner.ts';

let t: TestEngine;
let hooks: ReturnType<typeof startWebhooks>;
let receiver: http.Server;
let base: string;
interface Received {
  path: string;
  body: string;
  headers: http.IncomingHttpHeaders;
  answered: number;
}
const received: Received[] = [];
/** Per path, how many requests still get a 500 before the receiver accepts. */
const failFirst = new Map<string, number>();

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      const left = failFirst.get(path) ?? 0;
      const failing = path === '/broken' || (left > 0 && body.includes('flaky'));
      if (failing && left > 0) failFirst.set(path, left - 1);
      const answered = failing ? 500 : 204;
      received.push({ path, body, headers: req.headers, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  t = await startTestEngine();
  hooks = startWebhooks(t.engine, { retries: 2, minRetryMs: 50 });
  await hooks.ready;
});
afterAll(async () => {
  await hooks.stop();
  await t.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const SECRET = 'a-secret-of-the-receiver';
const DOC = 'subscription Dcs { events(severity: [NORMAL]) { code message } }';
const ADD = `mutation($i: AddWebhookInput!) { addWebhook(input: $i) { __typename ... on MutationAddWebhookSuccess { webhook { id name url query } }
  ... on ValidationError { reasons { code message } } ... on Error { code message } } }`;

async function addWebhook(token: string, name: string, path: string, query = DOC) {
  const res = await t.gqlAs(token, ADD, { i: { name, url: `${base}${path}`, query, secret: SECRET } });
  return res.data.addWebhook;
}
async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe('webhooks', () => {
  it('refuses a document that is not one valid subscription, and a URL that is not http', async () => {
    const notSub = await addWebhook(t.adminToken, 'q', '/x', '{ vms { totalCount } }');
    expect(notSub.reasons.map((r: any) => r.code)).toEqual(['WEBHOOK_DOCUMENT_INVALID']);
    const invalid = await addWebhook(t.adminToken, 'q', '/x', 'subscription { events { nope } }');
    expect(invalid.reasons[0].message).toContain('nope');
    const ftp = await t.gql(ADD, { i: { name: 'f', url: 'ftp://127.0.0.1/x', query: DOC, secret: SECRET } });
    expect(ftp.data.addWebhook.code).toBe('BAD_INPUT');
    expect((await t.gql('{ webhooks { id } }')).data.webhooks).toEqual([]);
  });

  it("POSTs each result in the document's shape, signed, in order, again after a 500; with its user's permissions", async () => {
    const added = await addWebhook(t.adminToken, 'dcs', '/dcs');
    expect(added.webhook).toMatchObject({ name: 'dcs', url: `${base}/dcs`, query: DOC });
    // A user who sees no data center registers the same document.
    const user = await mutate(t, 'addUser', { userName: 'hooker', password: 'hooker-pass12' }, 'user');
    const dc0 = await mutate(t, 'addDataCenter', { name: 'own-dc' }, 'dataCenter');
    const roles = (await t.gql('{ roles { id name } }')).data.roles;
    await mutate(
      t,
      'addPermission',
      { role: roles.find((r: any) => r.name === 'DataCenterAdmin').id, user: user.id, object: dc0.id },
      'permission',
    );
    const userToken = await t.login('hooker', 'hooker-pass12');
    const mine = await addWebhook(userToken, 'mine', '/user');
    expect(mine.__typename).toBe('MutationAddWebhookSuccess');
    await hooks.running(decodeGlobalID(added.webhook.id).id);
    await hooks.running(decodeGlobalID(mine.webhook.id).id);

    failFirst.set('/dcs', 1); // the second data center's first POST gets a 500
    for (const name of ['hook-dc1', 'flaky-dc2', 'hook-dc3']) await mutate(t, 'addDataCenter', { name }, 'dataCenter');
    const ours = (r: Received) => /hook-dc|flaky-dc/.test(r.body);
    expect(await until(() => received.filter((r) => r.path === '/dcs' && ours(r) && r.answered === 204).length === 3)).toBe(true);

    const toAdmin = received.filter((r) => r.path === '/dcs' && ours(r));
    expect(toAdmin.map((r) => [JSON.parse(r.body).data.events.message, r.answered])).toEqual([
      ['Data Center hook-dc1 was created by admin@internal.', 204],
      ['Data Center flaky-dc2 was created by admin@internal.', 500],
      ['Data Center flaky-dc2 was created by admin@internal.', 204],
      ['Data Center hook-dc3 was created by admin@internal.', 204],
    ]);
    for (const r of toAdmin) {
      expect(JSON.parse(r.body)).toEqual({ data: { events: { code: 'USER_ADD_STORAGE_POOL', message: expect.any(String) } } });
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-vireo-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
    }
    // Numbered in order after what it sent before (the user, grant and webhook events above).
    await hooks.deliveries.idle();
    const first = Number(toAdmin[0]!.headers['x-vireo-sequence']);
    expect(toAdmin.map((r) => Number(r.headers['x-vireo-sequence']))).toEqual([first, first + 1, first + 1, first + 2]);
    // The other user sees none of those data centers: nothing was sent to its webhook.
    expect(received.filter((r) => r.path === '/user' && ours(r))).toEqual([]);
    const hooksNow = (await t.gql('{ webhooks { name deliveries { seq status attempts lastStatus } } }')).data.webhooks;
    expect(hooksNow.map((h: any) => h.name)).toEqual(['dcs']);
    expect(hooksNow[0].deliveries.slice(0, 3)).toEqual([
      { seq: first + 2, status: 'DELIVERED', attempts: 1, lastStatus: 204 },
      { seq: first + 1, status: 'DELIVERED', attempts: 2, lastStatus: 204 },
      { seq: first, status: 'DELIVERED', attempts: 1, lastStatus: 204 },
    ]);
    // Its own data center's news reaches it.
    await mutate(t, 'updateDataCenter', { id: dc0.id, description: 'theirs' }, 'dataCenter');
    const updated = (r: Received) => r.path === '/user' && r.body.includes('own-dc was updated');
    expect(await until(() => received.some(updated))).toBe(true);
    expect(JSON.parse(received.find(updated)!.body)).toEqual({
      data: { events: { code: 'USER_UPDATE_STORAGE_POOL', message: 'Data Center own-dc was updated by admin@internal.' } },
    });
  });

  it('a delivery the receiver keeps refusing is FAILED after the retries, with the last answer', async () => {
    const added = await addWebhook(t.adminToken, 'broken', '/broken');
    await hooks.running(decodeGlobalID(added.webhook.id).id);
    await mutate(t, 'addDataCenter', { name: 'lost-dc' }, 'dataCenter');
    expect(await until(() => received.filter((r) => r.path === '/broken').length === 3)).toBe(true);
    await hooks.deliveries.idle();
    const hook = (
      await t.gql(
        'query($id: ID!) { node(id: $id) { ... on Webhook { deliveries(status: FAILED) { seq attempts lastStatus lastError body } } } }',
        { id: added.webhook.id },
      )
    ).data.node;
    expect(hook.deliveries).toEqual([
      { seq: 1, attempts: 3, lastStatus: 500, lastError: 'the receiver answered 500', body: expect.stringContaining('lost-dc') },
    ]);
    const removed = await t.gql('mutation($i: RemoveWebhookInput!) { removeWebhook(input: $i) { __typename } }', {
      i: { id: added.webhook.id },
    });
    expect(removed.data.removeWebhook.__typename).toBe('MutationRemoveWebhookSuccess');
  });
});
