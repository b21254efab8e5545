/** Why a host verb did not happen. */
export type HostCommandFailure =
  /** The host's agent has no command channel open: nothing was sent. */
  | 'NOT_CONNECTED'
  /** Sent, but the agent did not answer in time: the host may or may not have done it. */
  | 'NO_ANSWER'
  /** The agent answered that it could not do it. */
  | 'FAILED';

/** A host verb that did not succeed; the message names the host and says why. */
export class HostCommandError extends Error {
  constructor(
    readonly host: { id: string; name: string },
    readonly verb: string,
    readonly reason: HostCommandFailure,
    /** What went wrong, without the host's name. */
    readonly detail: string,
  ) {
    super(reason === 'NOT_CONNECTED' ? `the agent of host ${host.name} is not connected` : `host ${host.name}: ${detail}`);
    this.name = 'HostCommandError';
  }
}
