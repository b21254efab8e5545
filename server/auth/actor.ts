/** Who runs an action or a query. */
export interface Actor {
  userId: string | null;
  userName: string;
  /** Holds SuperUser on System: every action group on every object. */
  superUser: boolean;
}

/**
 * The actor of requests until log-in lands (issue 5): the built-in administrator, the same
 * identity oVirt's engine uses for its own internal actions.
 */
export const ADMIN_ACTOR: Actor = { userId: null, userName: 'admin@internal', superUser: true };

/** The engine itself (monitoring, start-up recovery). */
export const SYSTEM_ACTOR: Actor = { userId: null, userName: 'SYSTEM', superUser: true };
