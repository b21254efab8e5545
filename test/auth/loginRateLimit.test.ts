// The log-in limit holds under concurrency, and an attacker from one address cannot lock the
// administrator out from another. Over a real port, from two loopback source addresses.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestEngine, type TestEngine } from '../support/testEngine.ts';

let t: TestEngine;
let server: { url: string; port: number; stop(): Promise<void> };
beforeAll(async () => {
  t = await startTestEngine();
  server = (await t.listen()) as typeof server;
});
afterAll(async () => {
  await server.stop();
  await t.close();
});

/** One log-in from a given source address; its result type or error code. */
function login(from: string, password: string): Promise<string> {
  const body = JSON.stringify({
    query: `mutation($p: String!) { login(input: { userName: "admin", password: $p }) { __typename ... on Error { code } } }`,
    variables: { p: password },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(server.url, { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () => {
        const r = JSON.parse(text).data.login;
        resolve(r.code ?? r.__typename);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

it('evaluates at most 5 of 40 concurrent wrong passwords, and does not lock the administrator out elsewhere', async () => {
  const answers = await Promise.all(Array.from({ length: 40 }, () => login('127.0.0.3', 'wrong-password')));
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a] = (counts[a] ?? 0) + 1;
  expect(counts).toEqual({ INVALID_CREDENTIALS: 5, TOO_MANY_ATTEMPTS: 35 });
  expect(await login('127.0.0.3', ADMIN_PASSWORD)).toBe('TOO_MANY_ATTEMPTS');
  expect(await login('127.0.0.4', ADMIN_PASSWORD)).toBe('MutationLoginSuccess');
});
