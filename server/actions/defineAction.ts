// What an action is: one definition for every change, run by runAction.ts. A one-transaction
// action has validate() and execute(); an action that needs a host adds onHost(), the one place
// host work happens outside a transaction; a long one adds job() (a Job row with its step,
// snapshots that undo it) and follow() (the Job stays open until monitoring sees the outcome).
import type { z } from 'zod';
import type { HostBroker } from '../agents/hostBroker.ts';
import type { Actor } from '../auth/actor.ts';
import type { ActionGroup } from '../auth/actionGroups.ts';
import type { ObjectRef } from '../auth/objects.ts';
import type { Db, Tx } from '../db.ts';
import type { Engine } from '../engine.ts';
import type { AuditCode } from '../audit/auditLogTypes.ts';
import type { AuditObjects } from '../audit/auditLog.ts';
import type { Reason, ValidationError } from '../errors.ts';
import type { Topic, Topics } from '../pubsub.ts';

/** Entity types a compensation snapshot can restore. */
export type Restorable = 'Vm' | 'Host';

/** What validate(), prepare() and execute() get: the transaction they run in, the actor and the run's tools. */
export interface ActionContext {
  tx: Tx;
  actor: Actor;
  engine: Engine;
  /** True in the `can…` dry run: checks only, the transaction is rolled back. */
  dryRun: boolean;
  /** The action's Job (job mode, from prepare() on); null otherwise. */
  jobId: string | null;
  correlationId: string;
  /** Queues a notification; it is published only after the transaction commits. */
  publish<T extends Topic>(topic: T, ...payload: Topics[T]): void;
  /** Registers an undo step for work outside the database; if the action fails, they run newest first. */
  compensate(undo: () => Promise<void>): void;
  /**
   * Host work that must wait until the transaction has committed (removing a volume: nothing brings
   * it back, so it goes only once the rows are gone). Steps run in order after the commit; a failure is logged.
   */
  afterCommit(step: () => Promise<void>): void;
  /** Job mode: records fields as they are now; they are put back if the action fails or the engine dies first. */
  snapshot(entityType: Restorable, entityId: string, before: Record<string, unknown>): Promise<void>;
}

/** What onHost() and follow() get: no transaction is open; hosts are reached only through `hosts`. */
export interface HostContext {
  engine: Engine;
  actor: Actor;
  jobId: string | null;
  correlationId: string;
  /** Registers an undo step for work done on a host; runs (newest first) if the action fails later. */
  compensate(undo: () => Promise<void>): void;
  /**
   * The host verbs (`hosts.start(host, spec)`…), each bounded by the command timeout; a refusal or
   * silence throws a HostCommandError, which fails the action with its message. Best effort (undo
   * steps, outcomes): `succeeded(hosts.destroy(host, vmId))` from server/agents/hostBroker.ts.
   */
  hosts: HostBroker;
}

/** What the audit event of a successful run says. */
export interface AuditOf {
  code: AuditCode;
  vars: Record<string, string | number>;
  objects?: AuditObjects;
}

/** How a followed job ended: its status and the event that says so. */
export interface FollowOutcome {
  ok: boolean;
  audit?: AuditOf;
  /** Replaces the step's description (e.g. with why it failed). */
  step?: string;
}

/**
 * How the API offers an action, as plain data (server/ is free of GraphQL): the schema's adapter
 * (schema/actionMutations.ts) makes the mutation and its `can…` dry run from it, and the input
 * type from the zod params (field descriptions from `.describe()`; global ids, enum and nested
 * input type names from `.meta()`, see server/validators/params.ts).
 */
export interface ActionApi<P, R> {
  /** The mutation's name, e.g. 'addCluster'; its dry run is `canAddCluster`. */
  mutation: string;
  description: string;
  /** The input type's name; default: the mutation's, capitalized, + 'Input'. */
  input?: string;
  /** The success payload's field and the name of its type (a node type, 'Removed', 'VmActionResult', …). */
  payload: { field: string; type: string };
  /** What the payload's field holds; default: the result. */
  result?(result: R, run: { params: P; jobId: string | null }): unknown;
}

/** The payload of a job action: the object acted on and the Job that tracks the action. */
export interface StartedJob {
  objectId: string;
  jobId: string;
}

/** The payload of a removal: the removed object's type and database id (the API gives its global id). */
export interface RemovedNode {
  typename: string;
  id: string;
}

/** The Job an action in job mode opens: its description and the objects it is about. */
export interface JobOf {
  description: string;
  vmId?: string | null;
  hostId?: string | null;
  /** A disk's move or copy: the disk and the domain it goes to. */
  diskId?: string | null;
  storageDomainId?: string | null;
}

/**
 * One action. P: params; R: result; M: what prepare() marked; H: what onHost() returned.
 * The run: parse → authorize → lock → [transaction: validate → job → prepare] → onHost →
 * [transaction: execute → audit] → publish; without onHost() both transactions are one.
 * A failure rolls back, restores the Job's snapshots, runs the undo steps newest first and
 * writes the refusal or failure event.
 */
// biome-ignore lint/suspicious/noExplicitAny: callers that only run or check an action do not care what prepare()/onHost() pass on
export interface ActionDefinition<P, R, M = any, H = any> {
  /** oVirt's ActionType name, e.g. 'AddVm'. */
  type: string;
  /** Words for messages: "Cannot {title}: …", e.g. 'remove Cluster'. */
  title: string;
  params: z.ZodType<P>;
  /** Action group the actor needs on `subject` (or above it in the tree); checked by the runner. */
  actionGroup: ActionGroup;
  /** The object the permission is checked on: the object acted on, or the parent a new one goes into. */
  subject(params: P, db: Db): ObjectRef | Promise<ObjectRef>;
  /** Keys locked exclusively while the action runs (read from the database when they depend on rows: no transaction is open yet). */
  locks?(params: P, db: Db): string[] | Promise<string[]>;
  /** Keep the locks until the followed outcome (a migration: nothing else may act on the VM meanwhile). */
  holdLocksWhileFollowing?: boolean;
  /** Checks, in order; the first failures are the refusal's reasons. Read-only. */
  validate(ctx: ActionContext, params: P): Promise<(Reason | null)[]>;
  /**
   * Checks only the dry run makes, because the real run makes them in prepare() (placement:
   * deciding twice would cost twice, and only prepare() may reserve the host's memory).
   */
  checkOnly?(ctx: ActionContext, params: P): Promise<(Reason | null)[]>;
  /** Job mode: the Job's description and objects, read after validate() in the same transaction. */
  job?(tx: Tx, params: P): Promise<JobOf>;
  /** Marks the change in the database (with snapshots) before the host works; returns what the next steps need. */
  prepare?(ctx: ActionContext, params: P): Promise<M>;
  /**
   * prepare() refused the action (a placement found no room): work outside any transaction, locks
   * held, that may change that (power saving powers a host on); true: the run starts again (a few
   * times at most), false: the refusal stands.
   */
  makeRoom?(ctx: { engine: Engine; actor: Actor }, params: P, refusal: ValidationError): Promise<boolean>;
  /**
   * Host work, with the locks held and no transaction open (on the embedded database an open one
   * would hold its one connection, which the agent's answer itself needs). Throws when a host
   * refuses or does not answer.
   */
  onHost?(ctx: HostContext, params: P, marked: M): Promise<H>;
  /** Records the change (the outcome of the host's work, if any) in the database. */
  execute(ctx: ActionContext, params: P, marked: M, fromHost: H): Promise<R>;
  /** The event written when execute() succeeded. */
  audit(result: R, params: P): AuditOf;
  /** Objects a refusal or failure event is linked to. */
  objects?(params: P): AuditObjects;
  /** Job mode: keeps the Job open after the mutation returns, until the outcome is known. */
  follow?(ctx: HostContext, params: P, result: R): Promise<FollowOutcome>;
  /** The mutation that offers it (absent: not offered as one, or through its own adapter). */
  api?: ActionApi<P, R>;
}

/** Identity function that gives an action definition its types. */
export function defineAction<P, R, M = undefined, H = undefined>(def: ActionDefinition<P, R, M, H>): ActionDefinition<P, R, M, H> {
  return def;
}
