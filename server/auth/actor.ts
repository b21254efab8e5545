/** Who runs an action or a query. */
export interface Actor {
  userId: string | null;
  userName: string;
  /** Groups the user is in: local memberships and, for directory users, groups read at log-in. */
  groupIds: string[];
  /** The engine itself: monitoring, start-up recovery, the demo seed. Skips permission checks. */
  internal: boolean;
  sessionId: string | null;
}

/** The engine's own actor (oVirt's internal admin for internal actions). */
export const SYSTEM_ACTOR: Actor = { userId: null, userName: 'SYSTEM', groupIds: [], internal: true, sessionId: null };

/** A request without a valid token. */
export const ANONYMOUS: Actor = { userId: null, userName: 'anonymous', groupIds: [], internal: false, sessionId: null };
