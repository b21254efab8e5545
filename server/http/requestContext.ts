// The GraphQL context of one request, subscription or webhook: its actor and what it may see.
import type { Context } from '../../schema/context.ts';
import type { Engine } from '../engine.ts';
import type { Actor } from '../auth/actor.ts';
import { visibilityOf, type Visibility } from '../auth/permissions.ts';

export function requestContext(engine: Engine, actor: Actor, badToken: boolean, clientAddress: string): Context {
  // Computed once, and again after a permission change or once the session or token may have
  // expired (long-lived subscriptions see revocations and expiry; a session used elsewhere
  // slides, so past its known expiry it is checked once a minute).
  let cached: { version: number; checkAt: number; visibility: Promise<Visibility> } | null = null;
  return {
    engine,
    db: engine.db,
    actor,
    badToken,
    visibility: () => {
      const version = engine.permissionVersion.value;
      const now = Date.now();
      if (cached?.version !== version || now >= cached.checkAt) {
        const expiry = actor.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
        cached = {
          version,
          checkAt: cached && now >= expiry ? now + 60_000 : expiry,
          visibility: visibilityOf(engine.db, actor, cached !== null),
        };
      }
      return cached.visibility;
    },
    clientAddress,
  };
}
