import type { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Actor } from '../auth/actor.ts';
import type { ActionGroup } from '../auth/actionGroups.ts';
import type { ObjectRef } from '../auth/objects.ts';
import type { Db } from '../db.ts';
import type { Engine } from '../engine.ts';
import type { AuditCode } from '../audit/auditLogTypes.ts';
import type { AuditObjects } from '../audit/auditLog.ts';
import type { Reason } from '../errors.ts';
import type { Topic, Topics } from '../pubsub.ts';

export type Tx = Prisma.TransactionClient;

/** What validate() and execute() get: the transaction they run in and the request's actor. */
export interface ActionContext {
  tx: Tx;
  actor: Actor;
  /** Queues a notification; it is published only after the transaction commits. */
  publish<T extends Topic>(topic: T, ...payload: Topics[T]): void;
  /**
   * Registers an undo step for work outside the database (a host command). If the action fails
   * later, undo steps run newest first after the transaction has rolled back.
   */
  compensate(undo: () => Promise<void>): void;
}

/** What the audit event of a successful run says. */
export interface AuditOf {
  code: AuditCode;
  vars: Record<string, string | number>;
  objects?: AuditObjects;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any: callers that only run or check an action do not care what outside() returns
export interface ActionDefinition<P, R, O = any> {
  /** oVirt's ActionType name, e.g. 'AddVm'. */
  type: string;
  /** Words for messages: "Cannot {title}: …", e.g. 'remove Cluster'. */
  title: string;
  params: z.ZodType<P>;
  /** Action group the actor needs on `subject` (or above it in the tree); checked by the runner. */
  actionGroup: ActionGroup;
  /** The object the permission is checked on: the object acted on, or the parent a new one goes into. */
  subject(params: P, db: Db): ObjectRef | Promise<ObjectRef>;
  /** Keys locked exclusively while the action runs. */
  locks?(params: P): string[];
  /** Checks, in order; the first failures are the refusal's reasons. Read-only. */
  validate(ctx: ActionContext, params: P): Promise<(Reason | null)[]>;
  /**
   * Work outside the database that must succeed first (a host command whose answer is needed).
   * It runs with the locks held, after validate() passed in a read-only transaction and before
   * execute()'s transaction, which gets its result: no transaction is open while a host answers
   * (on the embedded database that would hold its one connection, which the answer itself needs).
   */
  outside?(engine: Engine, params: P): Promise<O>;
  execute(ctx: ActionContext, params: P, outside: O): Promise<R>;
  /** The event written when execute() succeeded. */
  audit(result: R, params: P): AuditOf;
  /** Objects a refusal or failure event is linked to. */
  objects?(params: P): AuditObjects;
}

/** Identity function that gives an action definition its types. */
export function defineAction<P, R, O = undefined>(def: ActionDefinition<P, R, O>): ActionDefinition<P, R, O> {
  return def;
}
