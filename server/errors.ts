// The errors an action can end with. Each carries a stable code a client can branch on;
// the GraphQL layer exposes each class as a member of the mutation's result union.

export abstract class VireoError extends Error {
  abstract readonly code: string;
  /** GraphQL copies these into a located error's extensions, so a client sees the code. */
  get extensions(): { code: string } {
    return { code: this.code };
  }
}

/** One reason an action was refused, e.g. { code: 'CLUSTER_HAS_HOSTS', message: '…' }. */
export interface Reason {
  code: string;
  message: string;
}

/** The input is malformed (wrong type, out of range, unknown id format). */
export class InputError extends VireoError {
  readonly code = 'BAD_INPUT';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'InputError';
  }
}

/** An object the action names does not exist. */
export class NotFoundError extends VireoError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly objectType: string,
    readonly objectId: string,
  ) {
    super(`${objectType} ${objectId} does not exist.`);
    this.name = 'NotFoundError';
  }
}

/** The action's checks refused it (oVirt's validate() failing); nothing was changed. */
export class ValidationError extends VireoError {
  readonly code: string;
  constructor(
    readonly action: string,
    readonly reasons: Reason[],
  ) {
    super(`Cannot ${action}: ${reasons.map((r) => r.message).join(' ')}`);
    this.name = 'ValidationError';
    this.code = reasons[0]?.code ?? 'VALIDATION_FAILED';
  }
}

/** Another action holds a lock on the same object. */
export class LockedError extends VireoError {
  readonly code = 'LOCKED';
  /** `detail`: what is locked and by which action ("VM app01 is locked while "run VM" is in progress; …"). */
  constructor(
    readonly action: string,
    readonly detail: string,
  ) {
    super(`Cannot ${action}: ${detail}`);
    this.name = 'LockedError';
  }
}

/** No valid session: log in first. */
export class UnauthenticatedError extends VireoError {
  readonly code = 'UNAUTHENTICATED';
  constructor(badToken: boolean) {
    super(badToken ? 'The session token is unknown, expired or revoked; log in again.' : 'Log in first.');
    this.name = 'UnauthenticatedError';
  }
}

/** The actor lacks the action group on the object. */
export class ForbiddenError extends VireoError {
  readonly code = 'FORBIDDEN';
  constructor(action: string) {
    super(`Cannot ${action}: permission denied.`);
    this.name = 'ForbiddenError';
  }
}

/** The action passed its checks but failed while running; it was rolled back. */
export class ActionFailedError extends VireoError {
  readonly code = 'ACTION_FAILED';
  constructor(
    action: string,
    readonly reason: string,
  ) {
    super(`Failed to ${action}: ${reason}`);
    this.name = 'ActionFailedError';
  }
}

/** A query is deeper, wider or costlier than the engine serves; it was not run. */
export class QueryLimitError extends VireoError {
  readonly code = 'QUERY_TOO_COMPLEX';
  constructor(kind: string, found: number, max: number) {
    super(`Query ${kind} ${found} exceeds the limit of ${max}; ask for fewer rows or fewer nested fields.`);
    this.name = 'QueryLimitError';
  }
}
