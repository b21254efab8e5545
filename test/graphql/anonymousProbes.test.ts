// Every root field (queries, mutations, subscriptions over SSE), read from the schema so that a new
// one is probed without a hand-written case, called without a session: each is refused as
// UNAUTHENTICATED, except log-in and its list of profiles; the host agents' fields check an agent
// token instead and refuse a wrong one as FORBIDDEN. Prints the probes tried and refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphQLObjectType } from 'graphql';
import { schema } from '../../schema/index.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { sseSubscribe } from '../support/subscriptions.ts';
import { rootOperation } from '../support/schemaWalk.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t.close());

/** Root fields that callers without a session may use: the log-in page's. */
const PUBLIC = new Set(['Mutation.login', 'Query.loginProfiles']);
/** The host agents' fields: the caller names a host and gives its agent token (here a wrong one). */
const isAgentField = (name: string) => /^(Mutation|Subscription)\.agent[A-Z]/.test(name);

const refusal = (field: string, res: any, code: string) =>
  (res?.errors ?? []).some((e: any) => e.extensions?.code === code) || res?.data?.[field]?.__typename === 'UnauthenticatedError';

it('refuses every root field to a caller without a session, except those of the log-in page', async () => {
  const roots: ['query' | 'mutation' | 'subscription', GraphQLObjectType | null | undefined][] = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  const answers: Record<string, 'refused' | string> = {};
  for (const [kind, root] of roots) {
    for (const field of Object.values(root!.getFields())) {
      const name = `${root!.name}.${field.name}`;
      if (PUBLIC.has(name)) continue;
      const { query, variables } = rootOperation(kind, field);
      let res: any;
      if (kind === 'subscription') {
        const sub = await sseSubscribe(t.yoga, query, variables, null);
        res = (await sub.events.next()).value;
        sub.abort();
      } else {
        res = await t.gqlAs(null, query, variables);
      }
      answers[name] = refusal(field.name, res, isAgentField(name) ? 'FORBIDDEN' : 'UNAUTHENTICATED')
        ? 'refused'
        : JSON.stringify(res).slice(0, 300);
    }
  }
  const tried = Object.keys(answers).length;
  const refused = Object.values(answers).filter((a) => a === 'refused').length;
  console.log(
    `anonymous probes: ${tried} root fields tried, ${refused} refused (UNAUTHENTICATED; agents' fields FORBIDDEN), ${PUBLIC.size} public by design`,
  );
  expect(tried).toBeGreaterThan(100);
  expect(Object.entries(answers).filter(([, a]) => a !== 'refused')).toEqual([]);
});
