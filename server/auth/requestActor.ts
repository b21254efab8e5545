import type { Db } from '../db.ts';
import { ANONYMOUS, type Actor } from './actor.ts';
import { actorForToken } from './sessions.ts';
import { actorForApiToken, isApiToken } from './apiTokens.ts';

/** The bearer token of an `Authorization: Bearer …` header or a graphql-ws connectionParams value. */
export function bearerToken(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return m ? m[1]! : null;
}

/** The actor of a request (a session's or an API token's); anonymous when no token came, flagged when a token came and is not valid. */
export async function requestActor(db: Db, token: string | null): Promise<{ actor: Actor; badToken: boolean }> {
  if (!token) return { actor: ANONYMOUS, badToken: false };
  const actor = isApiToken(token) ? await actorForApiToken(db, token) : await actorForToken(db, token);
  return actor ? { actor, badToken: false } : { actor: ANONYMOUS, badToken: true };
}
