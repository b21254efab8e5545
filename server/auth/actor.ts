import type { ObjectRef } from './objects.ts';

/** What an API token allows of its user's permissions (server/auth/apiTokens.ts). */
export interface TokenLimits {
  apiTokenId: string;
  /** No action at all; reads what the user may see. */
  readOnly: boolean;
  /** Only these action groups (a role's), only on this object and below it. */
  scope: { object: ObjectRef; actionGroups: string[]; adminRole: boolean } | null;
  /** When set, the only documents the token may run (graphql `print` of each). */
  operations: string[] | null;
}

/** Who runs an action or a query. */
export interface Actor {
  userId: string | null;
  userName: string;
  /** Groups the user is in: local memberships and, for directory users, groups read at log-in. */
  groupIds: string[];
  /** The engine itself: monitoring, start-up recovery, the demo seed. Skips permission checks. */
  internal: boolean;
  sessionId: string | null;
  /** Set when the request came with an API token instead of a session. */
  token?: TokenLimits;
  /** When its session (unless used again: sessions slide) or token ends; long-lived subscriptions check again then. */
  expiresAt?: Date | null;
}

/** The engine's own actor (oVirt's internal admin for internal actions). */
export const SYSTEM_ACTOR: Actor = { userId: null, userName: 'SYSTEM', groupIds: [], internal: true, sessionId: null };

/** A request without a valid token. */
export const ANONYMOUS: Actor = { userId: null, userName: 'anonymous', groupIds: [], internal: false, sessionId: null };
