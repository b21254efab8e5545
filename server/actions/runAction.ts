// The one way anything changes: parse → authorize → lock → validate → (job, prepare) → onHost →
// execute → audit → publish after commit; on failure roll back, restore the Job's snapshots, run
// the undo steps newest first and write why. oVirt's CommandBase.executeAction(), as a function.
// Without onHost() everything is one transaction; with it, no transaction stays open while a
// host works: 1. validate, open the Job, mark the change; 2. the host; 3. execute, audit.
// A followed Job stays open after the mutation returns, until monitoring sees the outcome.
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import type { Engine } from '../engine.ts';
import type { Actor } from '../auth/actor.ts';
import { can } from '../auth/permissions.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import { ActionFailedError, ForbiddenError, InputError, ValidationError, VireoError, type Reason } from '../errors.ts';
import { lockedError } from './lockedObject.ts';
import type { Topic, Topics } from '../pubsub.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { createJob, dropSnapshots, endJob, snapshotEntity } from '../jobs/jobs.ts';
import { endFollowedJob, failJob } from '../jobs/jobOutcome.ts';
import type { ActionContext, ActionDefinition } from './defineAction.ts';
import type { Tx } from '../db.ts';
import { hostContext } from './hostContext.ts';
import { recordFailure } from './actionEvents.ts';

type Queued = { topic: Topic; payload: unknown[] };

/** How many times an action that made room (makeRoom) starts again before its refusal stands. */
const MAKE_ROOM_TRIES = 3;

/** A started action: its params, its result, its Job (job mode) and the Job's final success. */
export interface StartedAction<P, R> {
  params: P;
  result: R;
  jobId: string | null;
  /** Resolves with the Job's final success (at once true when nothing is followed). */
  outcome: Promise<boolean>;
}

/** The params an action's zod schema makes of its raw input, or an InputError naming each bad field. */
export function parseParams<P>(schema: ActionDefinition<P, unknown>['params'], raw: unknown): P {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new InputError(r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

async function authorize<P>(engine: Engine, actor: Actor, def: ActionDefinition<P, unknown>, params: P) {
  if (!(await can(engine.db, actor, def.actionGroup, await def.subject(params, engine.db)))) throw new ForbiddenError(def.title);
}

interface ContextParts {
  engine: Engine;
  actor: Actor;
  correlationId: string;
  dryRun: boolean;
  queue: Queued[];
  undo: (() => Promise<void>)[];
  after: (() => Promise<void>)[];
}

function contextFor(tx: Tx, jobId: string | null, c: ContextParts): ActionContext {
  return {
    tx,
    actor: c.actor,
    engine: c.engine,
    dryRun: c.dryRun,
    jobId,
    correlationId: c.correlationId,
    publish: (topic, ...payload) => {
      c.queue.push({ topic, payload });
    },
    compensate: (step) => {
      c.undo.push(step);
    },
    afterCommit: (step) => {
      c.after.push(step);
    },
    snapshot: (type, entityId, before) => {
      if (!jobId) throw new Error('a compensation snapshot needs a Job: define job() on the action');
      return snapshotEntity(tx, jobId, type, entityId, before);
    },
  };
}

async function check<P>(ctx: ActionContext, def: ActionDefinition<P, unknown>, params: P): Promise<Reason[]> {
  const reasons = [...(await def.validate(ctx, params)), ...(ctx.dryRun && def.checkOnly ? await def.checkOnly(ctx, params) : [])];
  return reasons.filter((r): r is Reason => r !== null);
}

function publishAll(engine: Engine, queue: Queued[]) {
  for (const q of queue.splice(0)) engine.pubsub.publish(q.topic, ...(q.payload as Topics[typeof q.topic]));
}

/** The after-commit steps of a run, in order; a failure is logged (the action itself succeeded). */
async function runAfterCommit(title: string, after: (() => Promise<void>)[]) {
  for (const step of after.splice(0)) {
    try {
      await step();
    } catch (err) {
      console.error(`after "${title}" committed, a host step failed:`, err);
    }
  }
}

async function runCompensation(title: string, undo: (() => Promise<void>)[]) {
  for (const step of undo.splice(0).reverse()) {
    try {
      await step();
    } catch (err) {
      console.error(`compensation of "${title}" failed:`, err);
    }
  }
}

/** Runs an action for an actor; throws a VireoError subclass when it is refused or fails. */
export async function runAction<P, R, M, H>(engine: Engine, actor: Actor, def: ActionDefinition<P, R, M, H>, raw: unknown): Promise<R> {
  return (await startAction(engine, actor, def, raw)).result;
}

/** The same, with the params, the Job's id and its final outcome (for actions made of other actions). */
export async function startAction<P, R, M, H>(
  engine: Engine,
  actor: Actor,
  def: ActionDefinition<P, R, M, H>,
  raw: unknown,
): Promise<StartedAction<P, R>> {
  const timed = engine.metrics.timeAction(def.type);
  try {
    const started = await startTimedAction(engine, actor, def, raw);
    timed('succeeded');
    return started;
  } catch (err) {
    timed(err instanceof VireoError && !(err instanceof ActionFailedError) ? 'refused' : 'failed');
    throw err;
  }
}

async function startTimedAction<P, R, M, H>(
  engine: Engine,
  actor: Actor,
  def: ActionDefinition<P, R, M, H>,
  raw: unknown,
): Promise<StartedAction<P, R>> {
  const params = parseParams(def.params, raw);
  await authorize(engine, actor, def, params);
  const correlationId = randomUUID();
  const keys = (await def.locks?.(params, engine.db)) ?? [];
  const busy = await engine.locks.tryAcquire(keys, correlationId, def.title);
  if (busy) throw await lockedError(engine.db, engine.locks, def.title, busy);
  const parts: ContextParts = { engine, actor, correlationId, dryRun: false, queue: [], undo: [], after: [] };
  /** The Job, once its row is committed (a rolled-back one needs no undoing). */
  let jobId: string | null = null;
  let holding = false;

  // Validate, open the Job, mark the change.
  const begin = async (tx: Tx) => {
    const reasons = await check(contextFor(tx, null, parts), def, params);
    if (reasons.length) throw new ValidationError(def.title, reasons);
    const id = def.job
      ? await createJob(tx, {
          actionType: def.type,
          userName: actor.userName,
          correlationId,
          engineId: engine.cluster.id,
          ...(await def.job(tx, params)),
        })
      : null;
    const marked = def.prepare ? await def.prepare(contextFor(tx, id, parts), params) : (undefined as M);
    return { id, marked };
  };
  // Record the outcome and its event.
  const finish = async (tx: Tx, id: string | null, marked: M, fromHost: H) => {
    const result = await def.execute(contextFor(tx, id, parts), params, marked, fromHost);
    // A followed Job keeps its snapshots until its outcome: undone if it fails, or if the engine dies first.
    if (id && !def.follow) {
      await dropSnapshots(tx, id);
      await endJob(tx, id, 'FINISHED');
    }
    const auditId = await writeAuditLog(tx, { ...def.audit(result, params), userName: actor.userName, correlationId });
    return { result, auditId };
  };

  // A transaction of the run; when prepare() refuses it, the action may make room and it starts again.
  const withRoom = async <T>(step: (tx: Tx) => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries++) {
      try {
        return await engine.db.$transaction(step);
      } catch (err) {
        if (!(err instanceof ValidationError) || !def.makeRoom || tries > MAKE_ROOM_TRIES) throw err;
        // The rolled-back attempt's undo steps (promised memory) run now; its notifications never happened.
        await runCompensation(def.title, parts.undo);
        parts.queue.length = 0;
        parts.after.length = 0;
        if (!(await def.makeRoom({ engine, actor }, params, err))) throw err;
      }
    }
  };

  try {
    let done: { result: R; auditId: string };
    if (def.onHost) {
      const { id, marked } = await withRoom(begin);
      jobId = id;
      publishAll(engine, parts.queue);
      if (id) engine.pubsub.publish('job:progress', { id, progress: 0 });
      const fromHost = await def.onHost(
        hostContext({
          engine,
          actor,
          title: def.title,
          jobId: id,
          correlationId,
          compensate: (step) => {
            parts.undo.push(step);
          },
        }),
        params,
        marked,
      );
      done = await engine.db.$transaction((tx) => finish(tx, id, marked, fromHost));
    } else {
      let id: string | null = null;
      done = await withRoom(async (tx) => {
        const begun = await begin(tx);
        id = begun.id;
        return finish(tx, begun.id, begun.marked, undefined as H);
      });
      jobId = id;
    }
    publishAll(engine, parts.queue);
    await runAfterCommit(def.title, parts.after);
    engine.pubsub.publish('audit:created', { id: done.auditId });
    if (jobId) engine.pubsub.publish('job:progress', { id: jobId, progress: def.follow ? null : 100 });
    const followed =
      jobId && def.follow
        ? endFollowedJob(
            engine,
            actor,
            def.follow(hostContext({ engine, actor, title: def.title, jobId, correlationId }), params, done.result),
            jobId,
            correlationId,
          )
        : null;
    if (followed && def.holdLocksWhileFollowing) {
      holding = true;
      void followed.finally(() => engine.locks.release(keys, correlationId));
    }
    return { params, result: done.result, jobId, outcome: followed ?? Promise.resolve(true) };
  } catch (err) {
    const error = asVireoError(def.title, err);
    await runCompensation(def.title, parts.undo);
    if (jobId) await failJob(engine, jobId, error.message);
    await recordFailure(engine, actor, def, error, { objects: def.objects?.(params), correlationId });
    throw error;
  } finally {
    if (!holding) await engine.locks.release(keys, correlationId);
  }
}

/** Ends a dry run's transaction: whatever the checks did is rolled back. */
class DryRunDone extends Error {
  constructor(readonly reasons: Reason[]) {
    super('dry run');
  }
}

/** Dry run (oVirt's validateOnly): every check of runAction, in a transaction that is rolled back. */
export async function canRunAction<P>(engine: Engine, actor: Actor, def: ActionDefinition<P, unknown>, raw: unknown): Promise<Reason[]> {
  try {
    const params = parseParams(def.params, raw);
    await authorize(engine, actor, def, params);
    let locked: string | undefined;
    for (const k of (await def.locks?.(params, engine.db)) ?? []) if (!locked && (await engine.locks.isHeld(k))) locked = k;
    if (locked) throw await lockedError(engine.db, engine.locks, def.title, locked);
    const parts: ContextParts = { engine, actor, correlationId: '', dryRun: true, queue: [], undo: [], after: [] };
    try {
      await engine.db.$transaction(async (tx) => {
        throw new DryRunDone(await check(contextFor(tx, null, parts), def, params));
      });
    } catch (e) {
      if (e instanceof DryRunDone) return e.reasons;
      throw e;
    }
    throw new Error('unreachable: a dry run always rolls back');
  } catch (err) {
    const e = asVireoError(def.title, err);
    return e instanceof ValidationError ? e.reasons : [{ code: e.code, message: e.message }];
  }
}

/** Any error as a VireoError: known ones as they are, a duplicate name as a refusal, the rest as a failure. */
export function asVireoError(title: string, err: unknown): VireoError {
  if (err instanceof VireoError) return err;
  if (err instanceof ZodError) return new InputError(err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002')
    return new ValidationError(title, [{ code: 'NAME_ALREADY_USED', message: 'An object with the same name already exists.' }]);
  return new ActionFailedError(title, err instanceof Error ? err.message : String(err));
}
