import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_PASSWORD, startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { mutate } from '../support/inventory.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t.close());

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { __typename
  ... on MutationLoginSuccess { session { token expiresAt user { userName domain } } }
  ... on AuthenticationError { code message retryAfterSeconds } } }`;
const login = (userName: string, password: string, profile?: string) => t.gqlAs(null, LOGIN, { i: { userName, password, profile } });

describe('local accounts', () => {
  it('logs in and the token works over HTTP', async () => {
    const res = await login('admin', ADMIN_PASSWORD);
    expect(res.data.login.session.user).toEqual({ userName: 'admin', domain: 'internal' });
    const me = await t.gqlAs(res.data.login.session.token, '{ me { userName } }');
    expect(me.data.me.userName).toBe('admin');
  });

  it('answers a wrong password and an unknown user alike, and logs both as events', async () => {
    const wrong = (await login('admin', 'not-the-password')).data.login;
    const unknown = (await login('nobody', 'whatever')).data.login;
    expect(wrong).toEqual({
      __typename: 'AuthenticationError',
      code: 'INVALID_CREDENTIALS',
      message: 'The user name or password is incorrect.',
      retryAfterSeconds: null,
    });
    expect(unknown).toEqual(wrong);
    const events = await t.gql(`{ events(filter: { code: "USER_VDC_LOGIN_FAILED" }) { totalCount edges { node { severity message } } } }`);
    expect(events.data.events.totalCount).toBe(2);
    expect(events.data.events.edges.map((e: any) => e.node.message).join('\n')).toContain(
      'nobody@internal failed to log in: INVALID_CREDENTIALS',
    );
    expect(JSON.stringify(events)).not.toContain('not-the-password');
  });

  it('refuses a disabled account, and disabling ends its sessions', async () => {
    const user = await mutate(t, 'addUser', { userName: 'dave', password: 'davepass1' }, 'user');
    const token = await t.login('dave', 'davepass1');
    expect((await t.gqlAs(token, '{ me { userName } }')).data.me.userName).toBe('dave');
    await mutate(t, 'updateUser', { id: user.id, active: false }, 'user');
    expect((await t.gqlAs(token, '{ me { userName } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login('dave', 'davepass1')).data.login.code).toBe('ACCOUNT_DISABLED');
  });

  it('slows brute force down: after 5 failures even the right password must wait', async () => {
    await mutate(t, 'addUser', { userName: 'erin', password: 'erinpass1' }, 'user');
    for (let i = 0; i < 5; i++) expect((await login('erin', `guess${i}`)).data.login.code).toBe('INVALID_CREDENTIALS');
    const blocked = (await login('erin', 'erinpass1')).data.login;
    expect(blocked.code).toBe('TOO_MANY_ATTEMPTS');
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('tokens', () => {
  it('refuses requests without a token, with a tampered one, after logout and after expiry', async () => {
    const anonymous = await t.gqlAs(null, '{ vms { totalCount } }');
    expect(anonymous.errors?.[0]).toMatchObject({ message: 'Log in first.', extensions: { code: 'UNAUTHENTICATED' } });
    const token = await t.login('admin', ADMIN_PASSWORD);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await t.gqlAs(tampered, '{ vms { totalCount } }')).errors?.[0]?.message).toBe(
      'The session token is unknown, expired or revoked; log in again.',
    );
    expect((await t.gqlAs(token, 'mutation { logout }')).data.logout).toBe(true);
    expect((await t.gqlAs(token, '{ vms { totalCount } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const other = await t.login('admin', ADMIN_PASSWORD);
    expect((await t.gqlAs(other, '{ vms { totalCount } }')).data.vms).toBeDefined();
    // 30 minutes and a second later by the clock, with no request in between: the session has expired.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 30 * 60_000 + 1000 });
    try {
      expect((await t.gqlAs(other, '{ vms { totalCount } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets anyone see the log-in profiles, and nothing else, without a token', async () => {
    expect((await t.gqlAs(null, '{ loginProfiles }')).data.loginProfiles).toEqual(['internal']);
    const mutation = await t.gqlAs(null, 'mutation { addDataCenter(input: { name: "x" }) { __typename } }');
    expect(mutation.data?.addDataCenter ?? null).toEqual(mutation.data ? { __typename: 'UnauthenticatedError' } : null);
    expect(await t.engine.db.dataCenter.count({ where: { name: 'x' } })).toBe(0);
  });
});
