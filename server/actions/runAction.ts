// The one way anything changes: parse → authorize → lock → validate → execute → (compensate) →
// audit → publish after commit. oVirt's CommandBase.executeAction(), as a small function.
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import type { Engine } from '../engine.ts';
import type { Actor } from '../auth/actor.ts';
import { can } from '../auth/permissions.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import { ActionFailedError, ForbiddenError, InputError, LockedError, ValidationError, VireoError, type Reason } from '../errors.ts';
import type { Topic, Topics } from '../pubsub.ts';
import type { ActionContext, ActionDefinition, Tx } from './defineAction.ts';
import { Prisma } from '../../generated/prisma/client.ts';

type Queued = { topic: Topic; payload: unknown[] };

/** The params an action's zod schema makes of its raw input, or an InputError naming each bad field. */
export function parseParams<P>(schema: ActionDefinition<P, unknown>['params'], raw: unknown): P {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new InputError(r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

async function authorize<P>(engine: Engine, def: ActionDefinition<P, unknown>, actor: Actor, params: P) {
  if (!(await can(engine.db, actor, def.actionGroup, await def.subject(params, engine.db)))) throw new ForbiddenError(def.title);
}

function contextFor(tx: Tx, actor: Actor, queue: Queued[], undo: (() => Promise<void>)[]): ActionContext {
  return {
    tx,
    actor,
    publish: (topic, ...payload) => { queue.push({ topic, payload }); },
    compensate: (step) => { undo.push(step); },
  };
}

async function runCompensation(title: string, undo: (() => Promise<void>)[]) {
  for (const step of undo.reverse()) {
    try { await step(); } catch (err) { console.error(`compensation of "${title}" failed:`, err); }
  }
}

async function check<P>(ctx: ActionContext, def: ActionDefinition<P, unknown>, params: P): Promise<Reason[]> {
  return (await def.validate(ctx, params)).filter((r): r is Reason => r !== null);
}

/** Runs an action for an actor; throws a VireoError subclass when it is refused or fails. */
export async function runAction<P, R, O>(engine: Engine, actor: Actor, def: ActionDefinition<P, R, O>, raw: unknown): Promise<R> {
  const params = parseParams(def.params, raw);
  await authorize(engine, def, actor, params);
  const correlationId = randomUUID();
  const keys = def.locks?.(params) ?? [];
  const busy = engine.locks.tryAcquire(keys, correlationId);
  if (busy) throw new LockedError(def.title, busy);
  const queue: Queued[] = [];
  const undo: (() => Promise<void>)[] = [];
  const validate = async (ctx: ActionContext) => {
    const reasons = await check(ctx, def, params);
    if (reasons.length) throw new ValidationError(def.title, reasons);
  };
  try {
    let outside: O | undefined;
    if (def.outside) {
      await engine.db.$transaction((tx) => validate(contextFor(tx, actor, [], [])));
      outside = await def.outside(engine, params);
    }
    const { result, auditId } = await engine.db.$transaction(async (tx) => {
      const ctx = contextFor(tx, actor, queue, undo);
      if (!def.outside) await validate(ctx);
      const result = await def.execute(ctx, params, outside as O);
      const audit = def.audit(result, params);
      const auditId = await writeAuditLog(tx, { ...audit, userName: actor.userName, correlationId });
      return { result, auditId };
    });
    queue.push({ topic: 'audit:created', payload: [{ id: auditId }] });
    for (const q of queue) engine.pubsub.publish(q.topic, ...(q.payload as Topics[typeof q.topic]));
    return result;
  } catch (err) {
    const error = asVireoError(def.title, err);
    await runCompensation(def.title, undo);
    await recordFailure(engine, actor, def, params, error, correlationId);
    throw error;
  } finally {
    engine.locks.release(keys, correlationId);
  }
}

/** Dry run (oVirt's validateOnly): every check of runAction, without changing anything. */
export async function canRunAction<P>(engine: Engine, actor: Actor, def: ActionDefinition<P, unknown>, raw: unknown): Promise<Reason[]> {
  try {
    const params = parseParams(def.params, raw);
    await authorize(engine, def, actor, params);
    const locked = (def.locks?.(params) ?? []).find((k) => engine.locks.isHeld(k));
    if (locked) throw new LockedError(def.title, locked);
    // validate() only reads; the transaction makes the reads consistent and is rolled back by nature.
    return await engine.db.$transaction((tx) => check(contextFor(tx, actor, [], []), def, params));
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

/** Refusals and failures go to the event log in their own transaction (the action's was rolled back). */
export async function recordFailure<P>(engine: Engine, actor: Actor, def: Pick<ActionDefinition<P, unknown>, 'type' | 'title' | 'objects'>,
  params: P, error: VireoError, correlationId: string) {
  if (error instanceof InputError || error instanceof ForbiddenError) return; // written by auth (issue 5), not per action
  const failed = error instanceof ActionFailedError;
  try {
    const id = await writeAuditLog(engine.db, {
      code: failed ? 'USER_ACTION_FAILED' : 'USER_ACTION_REFUSED',
      vars: { action: def.title, reason: failed ? error.reason : error.message.replace(/^Cannot [^:]*: /, '') },
      objects: def.objects?.(params),
      userName: actor.userName,
      correlationId,
    });
    engine.pubsub.publish('audit:created', { id });
  } catch (logErr) {
    console.error(`could not write the event for a failed ${def.type}:`, logErr);
  }
}
