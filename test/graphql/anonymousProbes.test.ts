// Every root field (queries, mutations, subscriptions over SSE), read from the schema so that a new
// one is probed without a hand-written case, called without a session: each is refused as
// UNAUTHENTICATED, except log-in and its list of profiles; the host agents' fields check an agent
// token instead and refuse a wrong one as FORBIDDEN. Prints the probes tried and refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isAbstractType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { schema } from '../../schema/index.ts';
import { startTestEngine, type TestEngine } from '../support/testEngine.ts';
import { sseSubscribe } from '../support/subscriptions.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(() => t.close());

/** Root fields that callers without a session may use: the log-in page's. */
const PUBLIC = new Set(['Mutation.login', 'Query.loginProfiles']);
/** The host agents' fields: the caller names a host and gives its agent token (here a wrong one). */
const isAgentField = (name: string) => /^(Mutation|Subscription)\.agent[A-Z]/.test(name);

const SCALARS: Record<string, unknown> = {
  String: 'x',
  ID: Buffer.from('Vm:00000000-0000-4000-8000-000000000000').toString('base64'),
  Int: 1,
  Float: 1,
  Boolean: false,
  Long: 1,
  DateTime: new Date(0).toISOString(),
  File: null,
};

/** A value of the type with its required parts only (what passes GraphQL's own checks). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  if (isScalarType(type)) return type.name in SCALARS ? SCALARS[type.name] : 'x';
  return null;
}

/** The operation calling one root field with every required argument as a variable. */
function operation(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isAbstractType(named) ? ' { __typename }' : '';
  return {
    query: `${kind}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((a) => [a.name, sample(a.type)])),
  };
}

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
      const { query, variables } = operation(kind, field);
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
