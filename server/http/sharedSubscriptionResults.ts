// One execution per event for all the subscribers that would get the same result.
//
// graphql-js runs a subscription's selection once per event and per subscriber. A thousand
// dashboards watching one cluster's host stats ask for the same fields of the same event as the
// same kind of user, so the engine executed the same selection a thousand times per sample.
// Here each event's result is computed once per (operation, variables, actor) and handed to
// every subscriber with that key; what each subscriber is sent still passes its own filters
// first (scope and visibility are checked in the subscription's source stream).
import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { mapAsyncIterator } from '@whatwg-node/promise-helpers';
import type { Context } from '../../schema/context.ts';

/** Results per event object: an entry lives as long as the event it was computed from. */
const results = new WeakMap<object, Map<string, { version: number; result: ExecutionResult | Promise<ExecutionResult> }>>();
const printed = new WeakMap<DocumentNode, string>();

export function sharedSubscriptionResults(): Plugin<Context> {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeShared as never);
    },
  };
}

export async function subscribeShared(args: ExecutionArgs) {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream; // errors before the stream started
  const ctx = args.contextValue as Context;
  // Made once per subscription: V8 keeps a string's hash, so the per-event lookup stays cheap.
  const key = `${actorKey(ctx)}\n${args.operationName ?? ''}\n${printOnce(args.document)}\n${JSON.stringify(args.variableValues ?? {})}`;
  return mapAsyncIterator(stream, (event) => {
    const run = () => execute({ ...args, rootValue: event });
    if (typeof event !== 'object' || event === null) return run();
    // The actor and the permission version decide what nested fields may show.
    const version = ctx.engine.permissionVersion.value;
    let forEvent = results.get(event);
    if (!forEvent) {
      forEvent = new Map();
      results.set(event, forEvent);
    }
    let shared = forEvent.get(key);
    if (shared?.version !== version) {
      shared = { version, result: run() };
      forEvent.set(key, shared);
    }
    return shared.result;
  });
}

function actorKey({ actor }: Context): string {
  // An API token may see less than its user: its results are its own.
  return `${actor.internal ? '*' : ''}${actor.userId ?? ''}:${[...actor.groupIds].sort().join(',')}${actor.token ? `:token:${actor.token.apiTokenId}` : ''}`;
}

function printOnce(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}
