import type { Database, Db } from './db.ts';
import { LockManager } from './actions/locks.ts';
import { createEnginePubSub, type PubSub } from './pubsub.ts';

/** The engine's shared services, made once per process and handed to every request. */
export interface Engine {
  db: Db;
  database: Database;
  pubsub: PubSub;
  locks: LockManager;
}

export function createEngine(database: Database): Engine {
  return { db: database.db, database, pubsub: createEnginePubSub(), locks: new LockManager() };
}
