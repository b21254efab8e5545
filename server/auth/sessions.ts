import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import type { Actor } from './actor.ts';

/** How long a session lives without being used, and at most. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opens a session; returns the bearer token (shown once) and when it expires. */
export async function openSession(db: Db, userId: string, groupIds: string[]) {
  const token = `vireo_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + SESSION_IDLE_MS);
  await db.session.create({ data: { tokenHash: sha256(token), userId, groupIds, expiresAt } });
  return { token, expiresAt };
}

interface SessionRow {
  id: string;
  userId: string;
  groupIds: string[];
  createdAt: Date;
  expiresAt: Date;
  userName: string;
  domain: string;
  active: boolean;
  memberOf: string[];
}

/** Look-ups of a token still running, per database: requests arriving together with one token share one. */
const inFlight = new WeakMap<Db, Map<string, Promise<Actor | null>>>();

/**
 * The actor a bearer token stands for, or null when the token is unknown, expired, or its user
 * is disabled. Each use slides the idle expiry, never past the session's maximum age.
 */
export function actorForToken(db: Db, token: string): Promise<Actor | null> {
  if (!/^vireo_[A-Za-z0-9_-]{43}$/.test(token)) return Promise.resolve(null);
  const running = inFlight.get(db) ?? new Map<string, Promise<Actor | null>>();
  inFlight.set(db, running);
  const shared = running.get(token);
  if (shared) return shared;
  const lookup = lookUpToken(db, token).finally(() => running.delete(token));
  running.set(token, lookup);
  return lookup;
}

async function lookUpToken(db: Db, token: string): Promise<Actor | null> {
  // One statement (every request makes it): the session, its user and the user's local groups.
  const [session] = await db.$queryRaw<SessionRow[]>`
    SELECT s.id::text AS id, s."userId"::text AS "userId", s."groupIds", s."createdAt", s."expiresAt",
           u."userName", u.domain, u.active,
           ARRAY(SELECT m."groupId"::text FROM "GroupMembership" m WHERE m."userId" = s."userId") AS "memberOf"
      FROM "Session" s JOIN "User" u ON u.id = s."userId"
     WHERE s."tokenHash" = ${sha256(token)}`;
  const now = Date.now();
  if (!session?.active || session.expiresAt.getTime() <= now) return null;
  const expiresAt = new Date(Math.min(now + SESSION_IDLE_MS, session.createdAt.getTime() + SESSION_MAX_MS));
  const slide = expiresAt.getTime() - session.expiresAt.getTime() > 60_000; // write at most once a minute per session
  if (slide) await db.session.update({ where: { id: session.id }, data: { expiresAt, lastUsedAt: new Date(now) } });
  return {
    userId: session.userId,
    userName: `${session.userName}@${session.domain}`,
    groupIds: [...new Set([...session.groupIds, ...session.memberOf])],
    internal: false,
    sessionId: session.id,
    expiresAt: slide ? expiresAt : session.expiresAt,
  };
}

export async function closeSession(db: Db, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}
