import type { Engine } from '../server/engine.ts';
import type { Db } from '../server/db.ts';
import type { Actor } from '../server/auth/actor.ts';
import type { Visibility } from '../server/auth/permissions.ts';

/** Per-request context of every resolver. */
export interface Context {
  engine: Engine;
  db: Db;
  actor: Actor;
  /** What the actor may see; computed once per request (per event for long subscriptions). */
  visibility(): Promise<Visibility>;
  /** The client's network address (rate limits and log-in events). */
  clientAddress: string;
  /** A token was sent but is unknown, expired or revoked. */
  badToken: boolean;
}
