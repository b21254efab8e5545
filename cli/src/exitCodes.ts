// What the process's exit status says, for scripts.
export const EXIT = {
  OK: 0,
  /** The action or job failed while running, or the engine could not be reached. */
  FAILED: 1,
  /** Bad usage: unknown command or flag, missing argument, a name that matches nothing. */
  USAGE: 2,
  /** Refused with a typed error: a check failed (ValidationError), no permission, locked, not found. */
  REFUSED: 3,
  /** Not logged in, or the token is expired or revoked. */
  UNAUTHENTICATED: 4,
} as const;

/** An error that ends the command with an exit status. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The exit status of a typed error of a result union. */
export function exitCodeOf(typename: string): number {
  if (typename === 'ActionFailedError') return EXIT.FAILED;
  if (typename === 'UnauthenticatedError') return EXIT.UNAUTHENTICATED;
  return EXIT.REFUSED;
}
