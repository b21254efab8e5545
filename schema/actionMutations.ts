// Every action of the registry (server/actions/registry.ts) as a mutation and its `can…` dry run.
// The input type is made from the action's zod params: strings, numbers (Int when .int()),
// booleans, bigints (Long), enums, lists and nested objects; a field is required unless it is
// optional, nullable or has a default. `.meta()` names global ids (`node`, and `input` when the
// field's name differs from the param's), enums and nested input types (`graphql`, and the type's
// own description `typeDescription`; `enumValues` when the GraphQL names differ from the values),
// objects permissions are granted on (`object`: a global id of any of their types) and GraphQL
// documents (`document`: passed on printed); descriptions come from `.describe()`; a date is a DateTime. Input → params: nulls dropped (the params' defaults
// apply), global ids decoded and documents parsed (a wrong one is an InputError naming the field),
// then the action parses them.
import type { z } from 'zod';
import type { InputFieldRef, InputObjectRef } from '@pothos/core';
import { builder } from './builder.ts';
import { ActionCheckRef } from './types/errors.ts';
import { localId } from './ids.ts';
import { permissionObject } from './permissionObjects.ts';
import { normalizeOperation } from '../server/http/apiTokenOperations.ts';
import type { ActionDefinition } from '../server/actions/defineAction.ts';
import { canRunAction, startAction } from '../server/actions/runAction.ts';
import { InputError, VireoError } from '../server/errors.ts';
import type { ParamMeta } from '../server/validators/params.ts';
import { actions } from '../server/actions/registry.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type Schema = z.ZodType;
type Def = { type: string; innerType?: Schema; shape?: Record<string, Schema>; element?: Schema; entries?: Record<string, string> };

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional']);

interface Field {
  /** The schema under optional/nullable/default. */
  base: Schema;
  /** Merged metadata, the outermost first. */
  meta: ParamMeta;
  required: boolean;
  /** An omitted value may be left out (undefined) rather than passed as null. */
  omittable: boolean;
}

const defOf = (s: Schema) => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: Schema): Field {
  let s = schema;
  let meta: ParamMeta = {};
  let required = true;
  let omittable = false;
  for (;;) {
    meta = { ...(s.meta() as ParamMeta | undefined), ...(s.description ? { description: s.description } : {}), ...meta };
    const def = defOf(s);
    if (!WRAPPERS.has(def.type) || !def.innerType) break;
    if (def.type !== 'readonly') required = false;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') omittable = true;
    s = def.innerType;
  }
  return { base: s, meta, required, omittable };
}

type InputRef = InputObjectRef<Types, Record<string, unknown>>;
const inputTypes = new Map<string, InputRef>();
const enumTypes = new Set<string>();

/** The GraphQL type of a param: a scalar name, an enum or input type name, or a list of one. */
function typeOf(f: Field, where: string): string | [string] {
  const def = defOf(f.base);
  if (f.meta.node || f.meta.object) return 'ID';
  switch (def.type) {
    case 'string':
      return 'String';
    case 'date':
      return 'DateTime';
    case 'boolean':
      return 'Boolean';
    case 'bigint':
      return 'Long';
    case 'number':
      return (f.base as unknown as { isInt?: boolean }).isInt ? 'Int' : 'Float';
    case 'enum':
      return enumType(f, def, where);
    case 'object':
      return objectType(f, def, where).name;
    case 'array': {
      const inner = typeOf(unwrap(def.element!), `${where}[]`);
      if (Array.isArray(inner)) throw new Error(`${where}: lists of lists are not offered`);
      return [inner];
    }
    default:
      throw new Error(`${where}: a zod ${def.type} has no GraphQL input type; give the param another type`);
  }
}

function enumType(f: Field, def: Def, where: string): string {
  const name = f.meta.graphql;
  if (!name) throw new Error(`${where}: an enum param needs .meta({ graphql: '<EnumName>' })`);
  // Enums the schema already has (the Prisma ones) are used as they are; others are made here.
  if (!enumTypes.has(name) && !builder.configStore.hasConfig(name)) {
    // With enumValues the GraphQL value is the name, turned into the param's value by toParams (as for
    // an existing enum whose values are its names, such as a Prisma one); without, it is the value.
    const values = f.meta.enumValues
      ? Object.keys(f.meta.enumValues).map((n) => [n, { value: n }])
      : Object.values(def.entries!).map((v) => [v.toUpperCase(), { value: v }]);
    builder.enumType(name, { values: Object.fromEntries(values) });
    enumTypes.add(name);
  }
  return name;
}

function objectType(f: Field, def: Def, where: string): { name: string; ref: InputRef } {
  const name = f.meta.graphql;
  if (!name) throw new Error(`${where}: a nested object param needs .meta({ graphql: '<InputName>' })`);
  let ref = inputTypes.get(name);
  if (!ref) {
    ref = inputType(name, def.shape!, f.meta.typeDescription, where);
  }
  return { name, ref };
}

function inputType(name: string, shape: Record<string, Schema>, description: string | undefined, where: string): InputRef {
  const ref = builder.inputRef<Record<string, unknown>>(name) as unknown as InputRef & { implement: (o: unknown) => void };
  inputTypes.set(name, ref);
  ref.implement({
    description,
    fields: (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) =>
      Object.fromEntries(
        Object.entries(shape).map(([key, schema]) => {
          const f = unwrap(schema);
          const type = typeOf(f, `${where}.${key}`);
          const required = Array.isArray(type) ? { list: f.required, items: true } : f.required;
          const field = t.field({ type: type as never, required: required as never, description: f.meta.description }) as InputFieldRef<
            Types,
            unknown
          >;
          return [f.meta.input ?? key, field];
        }),
      ),
  });
  return ref;
}

/** GraphQL input value → raw params for the action's zod schema. */
function toParams(schema: Schema, value: unknown, path: string): unknown {
  const f = unwrap(schema);
  if (value === null || value === undefined) return f.omittable ? undefined : value;
  const def = defOf(f.base);
  if (f.meta.node) return localId(String(value), f.meta.node, path);
  if (f.meta.object) return permissionObject(String(value), path);
  if (f.meta.document) {
    try {
      return normalizeOperation(String(value));
    } catch (e) {
      throw new InputError([{ path, message: `is not a GraphQL document: ${(e as Error).message}` }]);
    }
  }
  if (f.meta.enumValues) return f.meta.enumValues[String(value)];
  if (def.type === 'array') return (value as unknown[]).map((v, i) => toParams(def.element!, v, `${path}.${i}`));
  if (def.type === 'object') {
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, s] of Object.entries(def.shape!)) {
      const name = unwrap(s).meta.input ?? key;
      const v = toParams(s, input[name], path ? `${path}.${name}` : name);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return value;
}

const capitalized = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

/**
 * One action, two root fields: the mutation that runs it and a `can…` query that dry-runs it with
 * the same input (oVirt's validateOnly), so a UI can ask before it acts.
 */
export function actionMutation<P, R>(action: ActionDefinition<P, R>): void {
  const api = action.api;
  if (!api) return;
  const shape = defOf(action.params).shape;
  if (!shape) throw new Error(`${action.type}: params must be a z.object to be offered as a mutation`);
  const inputName = api.input ?? `${capitalized(api.mutation)}Input`;
  const input = inputType(inputName, shape, undefined, inputName);
  const params = (i: unknown) => toParams(action.params, i, '');
  // biome-ignore lint/suspicious/noExplicitAny: the payload type is named by the action; Pothos checks the name when it builds the schema
  const payload = api.payload.type as any;
  builder.mutationField(api.mutation, (t) =>
    t.field({
      type: payload,
      description: api.description,
      args: { input: t.arg({ type: input, required: true }) },
      errors: { dataField: { name: api.payload.field } },
      resolve: async (_root, args, ctx) => {
        const started = await startAction(ctx.engine, ctx.actor, action, params(args.input));
        return (api.result ? api.result(started.result, started) : started.result) as never;
      },
    }),
  );
  builder.queryField(`can${capitalized(api.mutation)}`, (t) =>
    t.field({
      type: ActionCheckRef,
      description: `Dry run of ${api.mutation}: every check it makes, nothing changed.`,
      args: { input: t.arg({ type: input, required: true }) },
      resolve: async (_root, args, ctx) => {
        let p: unknown;
        try {
          p = params(args.input);
        } catch (e) {
          if (e instanceof VireoError) return [{ code: e.code, message: e.message }];
          throw e;
        }
        return canRunAction(ctx.engine, ctx.actor, action, p);
      },
    }),
  );
}

for (const action of actions) actionMutation(action as ActionDefinition<unknown, unknown>);
