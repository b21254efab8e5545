// API tokens: made by a user for a tool, shown once, limited to a subset of the user's
// permissions, refused when tampered, expired or revoked, on HTTP and on open subscriptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { buildInventory, mutate } from '../support/inventory.ts';

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

const CREATE = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { __typename
  ... on MutationCreateApiTokenSuccess { created { token apiToken { id name readOnly expiresAt lastUsedAt } } }
  ... on Error { code message } } }`;
async function create(sessionToken: string, input: Record<string, unknown>) {
  const res = await t.gqlAs(sessionToken, CREATE, { i: input });
  return res.data?.createApiToken ?? res;
}
async function tokenFor(sessionToken: string, input: Record<string, unknown>): Promise<{ token: string; id: string }> {
  const r = await create(sessionToken, input);
  if (r.__typename !== 'MutationCreateApiTokenSuccess') throw new Error(JSON.stringify(r));
  return { token: r.created.token, id: r.created.apiToken.id };
}
const roleId = async (name: string) => (await t.gql('{ roles { id name } }')).data.roles.find((r: any) => r.name === name).id;
const UNKNOWN = 'The session token is unknown, expired or revoked; log in again.';

describe("a user's own tokens", () => {
  it('is shown once, stored as a hash, works as its user and is listed with its last use', async () => {
    const { token, id } = await tokenFor(t.adminToken, { name: 'ci' });
    expect(token).toMatch(/^vireo_api_[A-Za-z0-9_-]{43}$/);
    expect((await t.gqlAs(token, '{ me { userName } }')).data.me.userName).toBe('admin');
    const list = (await t.gql('{ apiTokens { id name lastUsedAt user { userName } createdBy { userName } } }')).data.apiTokens;
    expect(list).toEqual([
      { id, name: 'ci', lastUsedAt: expect.any(String), user: { userName: 'admin' }, createdBy: { userName: 'admin' } },
    ]);
    expect(JSON.stringify(await t.gql('{ apiTokens { id name operations objectName } }'))).not.toContain(token.slice(10));
    const rows = await t.engine.db.apiToken.findMany({ select: { tokenHash: true } });
    expect(rows.every((r) => r.tokenHash.length === 64 && !token.includes(r.tokenHash))).toBe(true);
    expect((await create(t.adminToken, { name: 'ci' })).code).toBe('API_TOKEN_NAME_ALREADY_USED');
  });

  it('refuses a tampered token and an expired one', async () => {
    const { token } = await tokenFor(t.adminToken, { name: 'short', expiresAt: new Date(Date.now() + 1500).toISOString() });
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await t.gqlAs(tampered, '{ vms { totalCount } }')).errors?.[0]).toMatchObject({
      message: UNKNOWN,
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect((await t.gqlAs(token, '{ vms { totalCount } }')).data.vms.totalCount).toBe(0);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await t.gqlAs(token, '{ vms { totalCount } }')).errors?.[0]).toMatchObject({
      message: UNKNOWN,
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect((await create(t.adminToken, { name: 'past', expiresAt: new Date(Date.now() - 1000).toISOString() })).code).toBe(
      'API_TOKEN_EXPIRY_IN_PAST',
    );
  });

  it('revoked, it stops at once over HTTP and on an open WebSocket subscription', async () => {
    const { token, id } = await tokenFor(t.adminToken, { name: 'watcher' });
    const client = createClient({
      url: server.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    const seen: string[] = [];
    client.subscribe(
      { query: 'subscription { events { message } }' },
      { next: (r: any) => seen.push(r.data?.events?.message ?? JSON.stringify(r)), error: () => {}, complete: () => {} },
    );
    const arrives = async (text: string) => {
      for (let i = 0; i < 50 && !seen.some((m) => m.includes(text)); i++) await new Promise((r) => setTimeout(r, 100));
      return seen.some((m) => m.includes(text));
    };
    await new Promise((r) => setTimeout(r, 300)); // subscribed
    await mutate(t, 'addDataCenter', { name: 'before-revoke' }, 'dataCenter');
    expect(await arrives('before-revoke')).toBe(true);
    const revoked = await t.gql(`mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { __typename } }`, { i: { id } });
    expect(revoked.data.revokeApiToken.__typename).toBe('MutationRevokeApiTokenSuccess');
    await mutate(t, 'addDataCenter', { name: 'after-revoke' }, 'dataCenter');
    expect(await arrives('after-revoke')).toBe(false);
    expect((await t.gqlAs(token, '{ me { userName } }')).errors?.[0]?.message).toBe(UNKNOWN);
    const events = (await t.gql('{ events(filter: { code: "API_TOKEN_REVOKED" }) { edges { node { message } } } }')).data.events.edges;
    expect(events[0].node.message).toBe('API token watcher of admin@internal was revoked by admin@internal.');
  });

  it('stops when its user is disabled', async () => {
    const user = await mutate(t, 'addUser', { userName: 'ivy', password: 'ivypass12' }, 'user');
    await mutate(t, 'addPermission', { role: await roleId('ReadOnlyAdmin'), user: user.id }, 'permission');
    const { token } = await tokenFor(await t.login('ivy', 'ivypass12'), { name: 'ivy-tool' });
    expect((await t.gqlAs(token, '{ me { userName } }')).data.me.userName).toBe('ivy');
    await mutate(t, 'updateUser', { id: user.id, active: false }, 'user');
    expect((await t.gqlAs(token, '{ me { userName } }')).errors?.[0]?.message).toBe(UNKNOWN);
  });
});

describe("limits: a subset of the user's permissions", () => {
  let inv: Awaited<ReturnType<typeof buildInventory>>;
  let vmA: { id: string };
  let vmB: { id: string };
  let ops: { id: string };
  let opsSession: string;
  beforeAll(async () => {
    inv = await buildInventory(t, 'L');
    vmA = await mutate(t, 'addVm', { name: 'lim-a', cluster: inv.cluster.id }, 'vm');
    vmB = await mutate(t, 'addVm', { name: 'lim-b', cluster: inv.cluster.id }, 'vm');
    ops = await mutate(t, 'addUser', { userName: 'ops', password: 'opspass12' }, 'user');
    await mutate(t, 'addPermission', { role: await roleId('ClusterAdmin'), user: ops.id, object: inv.cluster.id }, 'permission');
    opsSession = await t.login('ops', 'opspass12');
  });
  const reasons = async (token: string, check: string, id: string) =>
    (await t.gqlAs(token, `{ ${check}(input: { id: "${id}" }) { allowed reasons { code } } }`)).data[check].reasons.map((r: any) => r.code);

  it('read-only: reads what the user sees, runs nothing', async () => {
    const { token } = await tokenFor(opsSession, { name: 'ro', readOnly: true });
    expect((await t.gqlAs(token, '{ vms { totalCount } }')).data.vms.totalCount).toBe(2);
    expect(await reasons(token, 'canRemoveVm', vmA.id)).toEqual(['FORBIDDEN']);
    expect(await reasons(opsSession, 'canRemoveVm', vmA.id)).toEqual([]);
    const res = await t.gqlAs(token, `mutation { removeVm(input: { id: "${vmA.id}" }) { __typename } }`);
    expect(res.data.removeVm.__typename).toBe('ForbiddenError');
    expect((await t.gql(`{ node(id: "${vmA.id}") { id } }`)).data.node).not.toBeNull();
  });

  it("a role on an object: only that role's action groups, only there and below, and sees only that", async () => {
    const { token } = await tokenFor(opsSession, { name: 'vm-a-user', role: await roleId('UserRole'), object: vmA.id });
    expect((await t.gqlAs(token, '{ vms { edges { node { name } } } }')).data.vms.edges).toEqual([{ node: { name: 'lim-a' } }]);
    expect(await reasons(token, 'canRemoveVm', vmA.id)).toEqual(['FORBIDDEN']); // DELETE_VM is not UserRole's
    expect(await reasons(token, 'canRunVm', vmA.id)).not.toContain('FORBIDDEN');
    expect(await reasons(token, 'canRunVm', vmB.id)).toEqual(['FORBIDDEN']); // another VM
    expect((await t.gqlAs(token, `{ node(id: "${vmB.id}") { id } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("refuses a token that reaches beyond its user's permissions", async () => {
    const superUser = await create(opsSession, { name: 'too-much', role: await roleId('SuperUser'), object: inv.cluster.id });
    expect(superUser).toMatchObject({ __typename: 'ValidationError', code: 'API_TOKEN_EXCEEDS_PERMISSIONS' });
    const elsewhere = await create(opsSession, { name: 'elsewhere', role: await roleId('UserRole'), object: inv.dc.id });
    expect(elsewhere.code).toBe('API_TOKEN_EXCEEDS_PERMISSIONS');
    expect((await t.gqlAs(opsSession, '{ apiTokens { name } }')).data.apiTokens.map((x: any) => x.name)).toEqual(['ro', 'vm-a-user']);
  });

  it('for another user only an administrator; never by a token', async () => {
    const svc = await mutate(t, 'addUser', { userName: 'svc-dash', password: 'svcpass123' }, 'user');
    expect((await create(opsSession, { name: 'x', user: svc.id })).__typename).toBe('ForbiddenError');
    expect((await t.gqlAs(opsSession, `{ apiTokens(user: "${svc.id}") { id } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { token } = await tokenFor(t.adminToken, { name: 'dashboard', user: svc.id });
    expect((await t.gqlAs(token, '{ me { userName } }')).data.me.userName).toBe('svc-dash');
    expect((await t.gql(`{ apiTokens(user: "${svc.id}") { name createdBy { userName } } }`)).data.apiTokens).toEqual([
      { name: 'dashboard', createdBy: { userName: 'admin' } },
    ]);
    const own = await tokenFor(t.adminToken, { name: 'maker' });
    expect((await create(own.token, { name: 'child' })).code).toBe('API_TOKEN_CANNOT_CREATE_TOKENS');
  });

  it('saved operations: runs only its documents, whatever their spacing', async () => {
    const { token } = await tokenFor(opsSession, { name: 'dash', operations: ['query Count { vms { totalCount } }'] });
    expect((await t.gqlAs(token, 'query Count {\n  vms {\n    totalCount\n  }\n}')).data.vms.totalCount).toBe(2);
    const other = await t.gqlAs(token, '{ me { userName } }');
    expect(other.errors?.[0]).toMatchObject({
      message: 'This API token may run only its saved operations.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect((await create(opsSession, { name: 'bad', operations: ['query {'] })).code).toBe('BAD_INPUT');
  });
});
