import type { Engine } from '../server/engine.ts';
import type { Db } from '../server/db.ts';
import type { Actor } from '../server/auth/actor.ts';

/** Per-request context of every resolver. */
export interface Context {
  engine: Engine;
  db: Db;
  actor: Actor;
}
