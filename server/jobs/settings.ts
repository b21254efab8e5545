/** Bounds of long actions; tests shorten them. */
export const jobSettings = {
  /** How long an agent has to answer one command before the action fails and is undone. */
  commandTimeoutMs: 30_000,
  /** How long a host has for image work that copies data (converting, sending, receiving an image). */
  imageTimeoutMs: 6 * 3600_000,
  /** How long a started VM has to come Up (or a suspended one to be saved) before its job fails. */
  outcomeTimeoutMs: 10 * 60_000,
  /** How long a migration may run before the engine cancels it. */
  migrationTimeoutMs: 10 * 60_000,
};
