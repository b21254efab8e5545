// How a Job ends after its action returned or failed: failed (what it marked restored from its
// snapshots), or when the outcome it follows is known (with its own event).
import type { Actor } from '../auth/actor.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import type { Engine } from '../engine.ts';
import type { FollowOutcome } from '../actions/defineAction.ts';
import { dropSnapshots, endJob, publishRestored, restoreSnapshots } from './jobs.ts';

/** Restores what the action marked, fails its Job, and tells subscribers. Never throws. */
export async function failJob(engine: Engine, jobId: string, why: string): Promise<void> {
  try {
    const restored = await engine.db.$transaction(async (tx) => {
      const r = await restoreSnapshots(tx, jobId);
      await endJob(tx, jobId, 'FAILED', why);
      return r;
    });
    publishRestored(engine.pubsub, restored);
    engine.pubsub.publish('job:progress', { id: jobId, progress: null });
  } catch (e) {
    console.error(`could not undo job ${jobId}:`, e);
  }
}

/** Waits for a followed outcome, then ends the Job (restoring its snapshots if it failed); resolves with its success. */
export async function endFollowedJob(
  engine: Engine,
  actor: Actor,
  following: Promise<FollowOutcome>,
  jobId: string,
  correlationId: string,
): Promise<boolean> {
  let outcome: FollowOutcome;
  try {
    outcome = await following;
  } catch (e) {
    outcome = { ok: false, step: (e as Error).message };
  }
  try {
    const { auditId, restored } = await engine.db.$transaction(async (tx) => {
      let restored: Awaited<ReturnType<typeof restoreSnapshots>> = [];
      if (outcome.ok) await dropSnapshots(tx, jobId);
      else restored = await restoreSnapshots(tx, jobId);
      await endJob(tx, jobId, outcome.ok ? 'FINISHED' : 'FAILED', outcome.step);
      const auditId = outcome.audit ? await writeAuditLog(tx, { ...outcome.audit, userName: actor.userName, correlationId }) : null;
      return { auditId, restored };
    });
    publishRestored(engine.pubsub, restored);
    if (auditId) engine.pubsub.publish('audit:created', { id: auditId });
    engine.pubsub.publish('job:progress', { id: jobId, progress: outcome.ok ? 100 : null });
  } catch (e) {
    console.error(`could not end job ${jobId}:`, e);
  }
  return outcome.ok;
}
