import { describe, expect, it } from 'vitest';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { createPubSub } from 'graphql-yoga';
import { subscribeShared } from './sharedSubscriptionResults.ts';

const pubsub = createPubSub<{ tick: [payload: { n: number }] }>();
let resolved = 0;
const Tick = new GraphQLObjectType({
  name: 'Tick',
  fields: {
    n: { type: GraphQLString, resolve: (e: { n: number }) => String(e.n) },
    seenBy: {
      type: GraphQLString,
      resolve: (_e, _a, ctx: { actor: { userName: string } }) => {
        resolved++;
        return ctx.actor.userName;
      },
    },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: { tick: { type: Tick, subscribe: () => pubsub.subscribe('tick'), resolve: (e) => e } },
  }),
});
const document = parse('subscription { tick { n seenBy } }');
const context = (userId: string, groupIds: string[] = []) => ({
  actor: { userId, userName: userId, groupIds, internal: false, sessionId: null },
  engine: { permissionVersion: { value: 1 } },
});

async function open(ctx: object) {
  const stream = await subscribeShared({ schema, document, contextValue: ctx });
  return stream as AsyncIterableIterator<{ data: { tick: { n: string; seenBy: string } } }>;
}

describe('shared subscription results', () => {
  it('executes an event once per kind of subscriber, and each gets what its own actor would', async () => {
    const subs = [await open(context('ann')), await open(context('ann')), await open(context('bob')), await open(context('ann', ['ops']))];
    const next = subs.map((s) => s.next());
    pubsub.publish('tick', { n: 7 });
    const got = (await Promise.all(next)).map((r) => r.value.data.tick);
    expect(got).toEqual([
      { n: '7', seenBy: 'ann' },
      { n: '7', seenBy: 'ann' },
      { n: '7', seenBy: 'bob' },
      { n: '7', seenBy: 'ann' },
    ]);
    expect(resolved).toBe(3); // ann twice shares one execution; bob, and ann in another group, do not
    await Promise.all(subs.map((s) => s.return?.()));
  });
});
