/** The engine answered with GraphQL errors (not a result union's typed error): bad token, query refused, bug. */
export class GraphQLRequestError extends Error {
  /** The first error's `extensions.code`, e.g. UNAUTHENTICATED, FORBIDDEN, NOT_FOUND. */
  readonly code: string | null;
  constructor(readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'GraphQLRequestError';
    this.code = (errors[0]?.extensions?.code as string | undefined) ?? null;
  }
}

/** A log-in the engine refused (its AuthenticationError code, e.g. INVALID_CREDENTIALS). */
export class LoginError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

/** A job that ended FAILED or ABORTED; `job` is its last state. */
export class JobFailedError extends Error {
  constructor(readonly job: { id: string; status: string; description: string }) {
    super(`Job ${job.description} ended ${job.status}.`);
    this.name = 'JobFailedError';
  }
}
