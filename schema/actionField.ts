// One action, two root fields: the mutation that runs it and a `can…` query that dry-runs it
// with the same input (oVirt's validateOnly), so a UI can ask before it acts.
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { builder } from './builder.ts';
import { ActionCheckRef } from './types/errors.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ActionDefinition, RemovedNode } from '../server/actions/defineAction.ts';
import { canRunAction, startAction, type StartedAction } from '../server/actions/runAction.ts';
import { VireoError } from '../server/errors.ts';
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

export interface ActionFieldOptions<P, R, I> {
  action: ActionDefinition<P, R>;
  description: string;
  input: InputObjectRef<Types, I>;
  /** GraphQL input → action params (decodes global ids; may throw InputError). */
  params(input: I): unknown;
  /** Type of the success payload's field, e.g. the Vm node. */
  type: ObjectRef<Types, unknown> | string;
  /** Name of the success payload's field, e.g. 'vm'. */
  dataField: string;
  /** What the success payload's field holds, from the action's result (and its params and Job). */
  resolve?(result: R, started: StartedAction<P, R>): unknown;
}

export function actionField<P, R, I>(name: string, opts: ActionFieldOptions<P, R, I>) {
  // biome-ignore lint/suspicious/noExplicitAny: the payload type differs per action; Pothos checks it against the fields below
  const type = opts.type as any;
  builder.mutationField(name, (t) =>
    t.field({
      type,
      description: opts.description,
      args: { input: t.arg({ type: opts.input, required: true }) },
      errors: { dataField: { name: opts.dataField } },
      resolve: async (_root, args, ctx) => {
        const started = await startAction(ctx.engine, ctx.actor, opts.action, opts.params((args as { input: I }).input));
        return (opts.resolve ? opts.resolve(started.result, started) : started.result) as never;
      },
    }),
  );
  builder.queryField(`can${name[0]!.toUpperCase()}${name.slice(1)}`, (t) =>
    t.field({
      type: ActionCheckRef,
      description: `Dry run of ${name}: every check it makes, nothing changed.`,
      args: { input: t.arg({ type: opts.input, required: true }) },
      resolve: async (_root, args, ctx) => {
        let params: unknown;
        try { params = opts.params((args as { input: I }).input); } catch (e) {
          if (e instanceof VireoError) return [{ code: e.code, message: e.message }];
          throw e;
        }
        return canRunAction(ctx.engine, ctx.actor, opts.action, params);
      },
    }),
  );
}

/** The payload of a removal: the removed object's global id. */
export const RemovedRef = builder.objectRef<RemovedNode>('Removed').implement({
  fields: (t) => ({ id: t.id({ description: 'Global id of the object that was removed.', resolve: (r) => encodeGlobalID(r.typename, r.id) }) }),
});
