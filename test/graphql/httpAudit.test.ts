// The GraphQL-over-HTTP spec audit of graphql-http, run against the engine on a real port:
// every MUST, SHOULD and MAY audit has to pass, with no error, warning or notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';

let t: TestEngine;
let server: { url: string; stop(): Promise<void> };
// The audits' probes are anonymous introspection queries ({ __type(name: $name) }): open it to them.
beforeAll(async () => {
  process.env.VIREO_INTROSPECTION = 'all';
  t = await startTestEngine();
  server = await t.listen();
});
afterAll(async () => {
  await server.stop();
  await t.close();
  delete process.env.VIREO_INTROSPECTION;
});

describe('graphql-http server audit', () => {
  for (const audit of serverAudits({ url: () => server.url })) {
    it(audit.name, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') await result.response.body?.cancel().catch(() => {});
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});
