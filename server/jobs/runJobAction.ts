// The runner for actions that talk to a host agent. Same pipeline as runAction (parse →
// authorize → lock → validate → execute → compensate → audit → publish after commit), split so
// that no transaction stays open while the agent works:
//   1. one transaction: validate, open the Job, mark the change and snapshot what it replaced;
//   2. no transaction: send the command(s) and await the answer (bounded);
//   3. one transaction: finish, drop the snapshots, audit.
// A failure in 2 or 3 restores the snapshots, runs the non-database undo steps and fails the Job.
// The Job may stay open after the mutation returns (follow): it ends when monitoring sees the
// outcome (the VM Up, the migration done), with its own event.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Engine } from '../engine.ts';
import type { Actor } from '../auth/actor.ts';
import type { ActionGroup } from '../auth/actionGroups.ts';
import type { ObjectRef } from '../auth/objects.ts';
import type { Db } from '../db.ts';
import { can } from '../auth/permissions.ts';
import { writeAuditLog, type AuditObjects } from '../audit/auditLog.ts';
import { ForbiddenError, ValidationError, LockedError, type Reason } from '../errors.ts';
import { asVireoError, parseParams, recordFailure } from '../actions/runAction.ts';
import type { Topic, Topics } from '../pubsub.ts';
import type { ActionContext, ActionDefinition, AuditOf, Tx } from '../actions/defineAction.ts';
import { createJob, endJob, restoreSnapshots, snapshotEntity, dropSnapshots } from './jobs.ts';

type Queued = { topic: Topic; payload: unknown[] };

export interface JobContext extends ActionContext {
  engine: Engine;
  jobId: string;
  correlationId: string;
  /** Records fields as they are now; they are put back if the action fails or the engine dies first. */
  snapshot(entityType: 'Vm' | 'Host', entityId: string, before: Record<string, unknown>): Promise<void>;
}

export interface PerformContext {
  engine: Engine;
  actor: Actor;
  jobId: string;
  correlationId: string;
  /** An undo step for work done on a host; runs (newest first) if the action fails later. */
  compensate(undo: () => Promise<void>): void;
}

export interface FollowContext {
  engine: Engine;
  jobId: string;
  correlationId: string;
  actor: Actor;
}

/** How a followed job ended: its status and the event that says so. */
export interface FollowOutcome {
  ok: boolean;
  audit?: AuditOf;
  /** Replaces the step's description (e.g. with why it failed). */
  step?: string;
}

export interface JobActionDefinition<P, M, R> {
  type: string;
  /** Words for messages: "Cannot {title}: …". */
  title: string;
  params: z.ZodType<P>;
  actionGroup: ActionGroup;
  subject(params: P, db: Db): ObjectRef | Promise<ObjectRef>;
  locks?(params: P): string[];
  objects?(params: P): AuditObjects;
  validate(ctx: ActionContext, params: P): Promise<(Reason | null)[]>;
  /**
   * Checks only the dry run makes, because the real run makes them in prepare() (placement:
   * deciding twice would cost twice, and only prepare() may reserve the host's memory).
   */
  checkOnly?(ctx: ActionContext, params: P): Promise<(Reason | null)[]>;
  /** Keep the locks until the followed outcome (a migration: nothing else may act on the VM meanwhile). */
  holdLocksWhileFollowing?: boolean;
  /** The Job's description and the objects it is about; read after validate(), in the same transaction. */
  describe(tx: Tx, params: P): Promise<{ description: string; vmId?: string | null; hostId?: string | null }>;
  /** Step 1: marks the change in the database (with snapshots); returns what the next steps need. */
  prepare(ctx: JobContext, params: P): Promise<M>;
  /** Step 2: talks to the agents; throws (ActionFailedError) when they refuse or do not answer. */
  perform(ctx: PerformContext, params: P, marked: M): Promise<void>;
  /** Step 3: records the outcome in the database. */
  finish(ctx: JobContext, params: P, marked: M): Promise<R>;
  audit(result: R, params: P): AuditOf;
  /** Keeps the Job open after the mutation returns, until the outcome is known. */
  follow?(ctx: FollowContext, params: P, result: R): Promise<FollowOutcome>;
}

export interface StartedJob<R> {
  result: R;
  jobId: string;
  /** Resolves with the Job's final success (immediately true when nothing is followed). */
  outcome: Promise<boolean>;
}

function publishAll(engine: Engine, queue: Queued[]) {
  for (const q of queue.splice(0)) engine.pubsub.publish(q.topic, ...(q.payload as Topics[typeof q.topic]));
}

/** Runs a host action for an actor; returns its result once the agents have accepted it. */
export async function runJobAction<P, M, R>(engine: Engine, actor: Actor, def: JobActionDefinition<P, M, R>, raw: unknown): Promise<R> {
  return (await startJobAction(engine, actor, def, raw)).result;
}

/** The same, with the Job's id and its final outcome (for actions made of other actions). */
export async function startJobAction<P, M, R>(engine: Engine, actor: Actor, def: JobActionDefinition<P, M, R>, raw: unknown): Promise<StartedJob<R>> {
  const params = parseParams(def.params, raw);
  if (!(await can(engine.db, actor, def.actionGroup, await def.subject(params, engine.db)))) throw new ForbiddenError(def.title);
  const correlationId = randomUUID();
  const keys = def.locks?.(params) ?? [];
  const busy = engine.locks.tryAcquire(keys, correlationId);
  if (busy) throw new LockedError(def.title, busy);
  const queue: Queued[] = [];
  const undo: (() => Promise<void>)[] = [];
  let jobId: string | null = null;
  let holding = false;
  const context = (tx: Tx, id: string): JobContext => ({
    tx, actor, engine, jobId: id, correlationId,
    publish: (topic, ...payload) => { queue.push({ topic, payload }); },
    compensate: (step) => { undo.push(step); },
    snapshot: (type, entityId, before) => snapshotEntity(tx, id, type, entityId, before),
  });
  try {
    const { marked, id } = await engine.db.$transaction(async (tx) => {
      const reasons = (await def.validate(context(tx, ''), params)).filter((r): r is Reason => r !== null);
      if (reasons.length) throw new ValidationError(def.title, reasons);
      const about = await def.describe(tx, params);
      const id = await createJob(tx, { actionType: def.type, userName: actor.userName, correlationId, ...about });
      return { marked: await def.prepare(context(tx, id), params), id };
    });
    jobId = id;
    publishAll(engine, queue);
    engine.pubsub.publish('job:progress', { id, progress: 0 });

    await def.perform({ engine, actor, jobId: id, correlationId, compensate: (step) => { undo.push(step); } }, params, marked);

    const followed = !!def.follow;
    const { result, auditId } = await engine.db.$transaction(async (tx) => {
      const result = await def.finish(context(tx, id), params, marked);
      // A followed job keeps its snapshots until its outcome: undone if it fails, or if the engine dies first.
      if (!followed) { await dropSnapshots(tx, id); await endJob(tx, id, 'FINISHED'); }
      const auditId = await writeAuditLog(tx, { ...def.audit(result, params), userName: actor.userName, correlationId });
      return { result, auditId };
    });
    publishAll(engine, queue);
    engine.pubsub.publish('audit:created', { id: auditId });
    engine.pubsub.publish('job:progress', { id, progress: followed ? null : 100 });
    const outcome = def.follow ? followJob(engine, actor, def.follow({ engine, jobId: id, correlationId, actor }, params, result), id, correlationId) : Promise.resolve(true);
    if (def.follow && def.holdLocksWhileFollowing) {
      holding = true;
      void outcome.finally(() => engine.locks.release(keys, correlationId));
    }
    return { result, jobId: id, outcome };
  } catch (err) {
    const error = asVireoError(def.title, err);
    for (const step of undo.reverse()) {
      try { await step(); } catch (e) { console.error(`compensation of "${def.title}" failed:`, e); }
    }
    if (jobId) await failJob(engine, jobId, error.message);
    await recordFailure(engine, actor, def, params, error, correlationId);
    throw error;
  } finally {
    if (!holding) engine.locks.release(keys, correlationId);
  }
}

/** Restores what the action marked, fails its Job, and tells subscribers. */
async function failJob(engine: Engine, jobId: string, why: string) {
  try {
    const restored = await engine.db.$transaction(async (tx) => {
      const r = await restoreSnapshots(tx, jobId);
      await endJob(tx, jobId, 'FAILED', why);
      return r;
    });
    for (const r of restored) engine.pubsub.publish(r.entityType === 'Vm' ? 'vm:changed' : 'host:changed', { id: r.entityId, kind: 'updated' });
    engine.pubsub.publish('job:progress', { id: jobId, progress: null });
  } catch (e) {
    console.error(`could not undo job ${jobId}:`, e);
  }
}

async function followJob(engine: Engine, actor: Actor, following: Promise<FollowOutcome>, jobId: string, correlationId: string): Promise<boolean> {
  let outcome: FollowOutcome;
  try { outcome = await following; } catch (e) { outcome = { ok: false, step: (e as Error).message }; }
  try {
    const { auditId, restored } = await engine.db.$transaction(async (tx) => {
      const restored = outcome.ok ? (await dropSnapshots(tx, jobId), []) : await restoreSnapshots(tx, jobId);
      await endJob(tx, jobId, outcome.ok ? 'FINISHED' : 'FAILED', outcome.step);
      const auditId = outcome.audit ? await writeAuditLog(tx, { ...outcome.audit, userName: actor.userName, correlationId }) : null;
      return { auditId, restored };
    });
    for (const r of restored) engine.pubsub.publish(r.entityType === 'Vm' ? 'vm:changed' : 'host:changed', { id: r.entityId, kind: 'updated' });
    if (auditId) engine.pubsub.publish('audit:created', { id: auditId });
    engine.pubsub.publish('job:progress', { id: jobId, progress: outcome.ok ? 100 : null });
  } catch (e) {
    console.error(`could not end job ${jobId}:`, e);
  }
  return outcome.ok;
}

/** Dry run for the `can…` query: the same checks, through the common runner's canRunAction. */
export function asCheckable<P>(def: JobActionDefinition<P, unknown, unknown>): ActionDefinition<P, unknown> {
  return {
    type: def.type, title: def.title, params: def.params, actionGroup: def.actionGroup, subject: def.subject, locks: def.locks, objects: def.objects,
    validate: async (ctx, p) => [...await def.validate(ctx, p), ...(def.checkOnly ? await def.checkOnly(ctx, p) : [])],
    execute: () => { throw new Error(`${def.type} runs through runJobAction`); },
    audit: () => { throw new Error(`${def.type} runs through runJobAction`); },
  };
}
