// Runs each enabled webhook's GraphQL subscription as its user (with that user's permissions,
// rechecked as for any live subscription) and hands every result, exactly as GraphQL shaped it,
// to the deliveries (server/webhooks/). Started with the engine; a changed webhook is restarted.
import { parse, subscribe, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import { schema } from '../../schema/index.ts';
import type { Engine } from '../engine.ts';
import { actorForUser } from '../auth/userActor.ts';
import { requestContext } from './requestContext.ts';
import { WebhookDeliveries, type DeliveryOptions } from '../webhooks/deliveries.ts';

/** Why a document cannot be a webhook's, or null: one subscription operation that validates. */
export function subscriptionDocumentProblem(query: string): string | null {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (e) {
    return (e as Error).message;
  }
  const errors = validate(schema, document);
  if (errors.length) return errors.map((e) => e.message).join(' ');
  const ops = document.definitions.filter((d) => d.kind === 'OperationDefinition');
  if (ops.length !== 1 || ops[0]!.operation !== 'subscription') return 'The document must hold exactly one subscription operation.';
  return null;
}

export function startWebhooks(engine: Engine, opts: DeliveryOptions = {}) {
  const deliveries = new WebhookDeliveries(engine.db, opts);
  const running = new Map<string, () => Promise<void>>();
  /** Per webhook, its last (re)start, settled once its subscription runs (or it was found disabled). */
  const starts = new Map<string, { done: Promise<void>; resolve: () => void }>();
  const startOf = (id: string) => {
    let s = starts.get(id);
    if (!s) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      s = { done, resolve };
      starts.set(id, s);
    }
    return s;
  };
  const changes = engine.pubsub.subscribe('webhook:changed')[Symbol.asyncIterator]();

  async function start(id: string) {
    await running.get(id)?.();
    running.delete(id);
    const hook = await engine.db.webhook.findUnique({ where: { id } });
    if (!hook?.enabled) return;
    const actor = await actorForUser(engine.db, hook.userId);
    if (!actor) return;
    const target = { id: hook.id, url: hook.url, secret: hook.secret };
    void deliveries.resume(target);
    const stream = await subscribe({
      schema,
      document: parse(hook.query),
      variableValues: hook.variables as Record<string, unknown>,
      contextValue: requestContext(engine, actor, false, 'webhook'),
    });
    if (!(Symbol.asyncIterator in stream)) {
      void deliveries.enqueue(target, JSON.stringify(stream)); // the subscription was refused: the receiver is told why
      return;
    }
    const it = (stream as AsyncGenerator<ExecutionResult>)[Symbol.asyncIterator]();
    running.set(id, async () => {
      await it.return?.(undefined);
    });
    void (async () => {
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        void deliveries.enqueue(target, JSON.stringify(next.value));
      }
    })().catch((e: unknown) => {
      console.error(`webhook ${id} stopped:`, e);
    });
  }

  const started = (async () => {
    for (const h of await engine.db.webhook.findMany({ where: { enabled: true }, select: { id: true } })) {
      await start(h.id);
      startOf(h.id).resolve();
    }
  })();
  void (async () => {
    await started;
    for (;;) {
      const next = await changes.next();
      if (next.done) return;
      await start(next.value.id).catch((e: unknown) => {
        console.error(`webhook ${next.value.id}:`, e);
      });
      startOf(next.value.id).resolve();
    }
  })();

  return {
    deliveries,
    /** Settles once the webhooks present at start run. */
    ready: started,
    /** Settles once this webhook's subscription runs, after it was made or changed. */
    running: (id: string) => startOf(id).done,
    async stop() {
      await changes.return?.();
      for (const stop of running.values()) await stop();
      running.clear();
      await deliveries.idle();
    },
  };
}
