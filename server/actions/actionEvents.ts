// Events the runner writes outside an action's own transaction: the refusal or failure of an
// action (its transaction was rolled back), and the events of work that is not an action (an OVA
// download, a log-out). Each is published once its write has committed.
import type { Actor } from '../auth/actor.ts';
import type { AuditObjects } from '../audit/auditLog.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import type { Engine } from '../engine.ts';
import { ActionFailedError, ForbiddenError, InputError, type VireoError } from '../errors.ts';
import type { AuditOf } from './defineAction.ts';

/** The words of a refusal without its "Cannot {title}: " prefix. */
function reasonOf(error: VireoError): string {
  return error instanceof ActionFailedError ? error.reason : error.message.replace(/^Cannot [^:]*: /, '');
}

/**
 * Writes the refusal (USER_ACTION_REFUSED) or failure (USER_ACTION_FAILED) of an action, in its
 * own transaction, and publishes it. Bad input and missing permissions are not written per action.
 * Never throws: the caller is already reporting `error`.
 */
export async function recordFailure(
  engine: Engine,
  actor: Actor,
  action: { type: string; title: string },
  error: VireoError,
  o: { objects?: AuditObjects; correlationId?: string } = {},
): Promise<void> {
  if (error instanceof InputError || error instanceof ForbiddenError) return;
  try {
    const id = await writeAuditLog(engine.db, {
      code: error instanceof ActionFailedError ? 'USER_ACTION_FAILED' : 'USER_ACTION_REFUSED',
      vars: { action: action.title, reason: reasonOf(error) },
      objects: o.objects,
      userName: actor.userName,
      correlationId: o.correlationId,
    });
    engine.pubsub.publish('audit:created', { id });
  } catch (logErr) {
    console.error(`could not write the event for a failed ${action.type}:`, logErr);
  }
}

/** Writes events of work done outside an action, in one transaction, then publishes them. */
export async function recordEvents(engine: Engine, actor: Actor, events: AuditOf[], correlationId?: string): Promise<void> {
  const ids = await engine.db.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const e of events) ids.push(await writeAuditLog(tx, { ...e, userName: actor.userName, correlationId }));
    return ids;
  });
  for (const id of ids) engine.pubsub.publish('audit:created', { id });
}
