// API tokens: long-lived credentials for tools, acting as their user within limits (read-only,
// a role on an object, a list of saved operations). Shown once; only a SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import type { Actor, TokenLimits } from './actor.ts';

const PREFIX = 'vireo_api_';
const FORMAT = /^vireo_api_[A-Za-z0-9_-]{43}$/;
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export function isApiToken(token: string): boolean {
  return FORMAT.test(token);
}

/** A new token and the hash to store. */
export function newApiToken(): { token: string; tokenHash: string } {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: sha256(token) };
}

/**
 * The actor an API token stands for, or null when it is unknown, expired, revoked, or its user is
 * disabled. Records its last use, at most once a minute.
 */
export async function actorForApiToken(db: Db, token: string): Promise<Actor | null> {
  if (!isApiToken(token)) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: sha256(token) },
    include: {
      role: { select: { actionGroups: true, adminRole: true } },
      user: { select: { userName: true, domain: true, active: true, groups: { select: { groupId: true } } } },
    },
  });
  const now = Date.now();
  if (!row?.user.active || (row.expiresAt && row.expiresAt.getTime() <= now)) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > 60_000)
    await db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  const limits: TokenLimits = {
    apiTokenId: row.id,
    readOnly: row.readOnly,
    scope:
      row.role && row.objectType && row.objectId
        ? { object: { type: row.objectType, id: row.objectId }, actionGroups: row.role.actionGroups, adminRole: row.role.adminRole }
        : null,
    operations: row.operations.length ? row.operations : null,
  };
  return {
    userId: row.userId,
    userName: `${row.user.userName}@${row.user.domain}`,
    groupIds: row.user.groups.map((g) => g.groupId),
    internal: false,
    sessionId: null,
    token: limits,
    expiresAt: row.expiresAt,
  };
}

/** Whether the token behind an actor still works (long-lived subscriptions ask after each change). */
export async function apiTokenValid(db: Db, apiTokenId: string): Promise<boolean> {
  const n = await db.apiToken.count({
    where: { id: apiTokenId, user: { active: true }, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
  });
  return n > 0;
}
