// The CLI's commands, derived from the schema: nothing here names a particular query or mutation
// except the few flag aliases below, so a new field of the schema becomes a command by itself.
//
//   mutation runVm            → vireo vm run <vm>           (noun from the type name in the field name)
//   query canRunVm            → vireo can vm run <vm>       (the dry run of a mutation)
//   query vms (a connection)  → vireo vm list [--status …]  (filter fields as flags)
//   any Node type             → vireo vm show <vm>          (node(id) with the type's default selection)
//   subscription events       → vireo event watch           (a subscription: watch, or watch-<rest>)
//   other fields              → vireo <noun> <rest of the name>, or vireo <field> when no noun fits
import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { AGENT_ONLY, type OperationKind } from '@vireo/sdk';

export interface CommandSpec {
  kind: OperationKind;
  field: GraphQLField<unknown, unknown>;
  /** null: a top-level command. */
  noun: string | null;
  verb: string;
  /** The GraphQL type the noun stands for (e.g. Vm), when there is one. */
  type: string | null;
  /** A dry run of a mutation (vireo can …). */
  dryRun: boolean;
  /** list (a connection or list), show (node), or the field's own operation. */
  shape: 'list' | 'show' | 'operation';
}

/** A few friendlier flag names (the schema's names stay valid). */
export const FLAG_ALIASES: Record<string, string[]> = {
  nameContains: ['name'],
  host: ['to', 'on'],
  networks: ['map'],
  minSeverity: ['min-severity'],
};

export const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const words = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ');

/** Types with an id, which a command can name by name or id. */
export function nodeTypes(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node'))
    .map((t) => t.name);
}

/** Splits a field name into a noun (the first type name in it after its first word) and the rest. */
function nounAndRest(name: string, types: string[]): { type: string; rest: string[] } | null {
  const w = words(name);
  w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1);
  for (let start = 0; start < w.length; start++) {
    for (let end = w.length; end > start; end--) {
      const candidate = w.slice(start, end).join('');
      if (types.includes(candidate)) return { type: candidate, rest: [...w.slice(0, start), ...w.slice(end)].map((x) => x.toLowerCase()) };
    }
  }
  return null;
}

/** The type a list query returns rows of (a connection's nodes, or a list's elements). */
function elementType(field: GraphQLField<unknown, unknown>): GraphQLNamedType | null {
  const named = getNamedType(field.type);
  if (isObjectType(named) && named.getFields().edges) {
    const edge = getNamedType(named.getFields().edges!.type);
    return isObjectType(edge) ? getNamedType(edge.getFields().node!.type) : null;
  }
  const nullable = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(nullable) ? named : null;
}

export function commandTable(schema: GraphQLSchema): CommandSpec[] {
  const types = nodeTypes(schema);
  const specs: CommandSpec[] = [];
  const add = (kind: OperationKind, field: GraphQLField<unknown, unknown>, dryRun = false) => {
    const name = dryRun ? field.name[3]!.toLowerCase() + field.name.slice(4) : field.name;
    const listed = kind === 'query' && !dryRun ? elementType(field) : null;
    if (listed && types.includes(listed.name)) {
      specs.push({ kind, field, noun: kebab(listed.name), verb: 'list', type: listed.name, dryRun, shape: 'list' });
      return;
    }
    const returned = getNamedType(field.type).name;
    const split =
      kind === 'subscription' && types.includes(returned) && words(field.name).length === 1
        ? { type: returned, rest: [] }
        : nounAndRest(name, types);
    if (!split) {
      specs.push({ kind, field, noun: null, verb: kebab(name), type: null, dryRun, shape: 'operation' });
      return;
    }
    const rest = split.rest.join('-');
    const verb = kind === 'subscription' ? (rest ? `watch-${rest}` : 'watch') : rest || 'get';
    specs.push({ kind, field, noun: kebab(split.type), verb, type: split.type, dryRun, shape: 'operation' });
  };
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.name === 'node' || field.name === 'nodes') continue;
    add(
      'query',
      field,
      /^can[A-Z]/.test(field.name) &&
        schema.getMutationType()?.getFields()[field.name[3]!.toLowerCase() + field.name.slice(4)] !== undefined,
    );
  }
  for (const field of Object.values(schema.getMutationType()!.getFields()))
    if (!AGENT_ONLY.test(field.name) && field.name !== 'login' && field.name !== 'logout') add('mutation', field);
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {}))
    if (!AGENT_ONLY.test(field.name)) add('subscription', field);
  for (const type of types)
    specs.push({
      kind: 'query',
      field: schema.getQueryType()!.getFields().node!,
      noun: kebab(type),
      verb: 'show',
      type,
      dryRun: false,
      shape: 'show',
    });
  return specs;
}

/** The Node type an ID argument or input field names, from its name (vm, hostId, cluster…), or the command's own. */
export function idTarget(name: string, spec: CommandSpec, types: string[]): string | null {
  if (name === 'id' || name === 'ids') return spec.type;
  const base = name.replace(/Ids?$/, '');
  const hit = types.find((t) => t.toLowerCase() === base.toLowerCase()) ?? types.find((t) => base.toLowerCase().endsWith(t.toLowerCase()));
  return hit ?? null;
}

/** The flags of a command: the field's arguments, and an `input` argument's or a `filter`'s fields flattened. */
export function flagsOf(
  spec: CommandSpec,
): { name: string; path: string[]; type: GraphQLInputType; description: string | undefined; required: boolean }[] {
  const out: ReturnType<typeof flagsOf> = [];
  const visit = (arg: GraphQLArgument | GraphQLInputField, path: string[]) => {
    const named = getNamedType(arg.type);
    if ((arg.name === 'input' || arg.name === 'filter') && isInputObjectType(named) && path.length === 0) {
      for (const f of Object.values(named.getFields())) visit(f, [arg.name, f.name]);
      return;
    }
    out.push({
      name: arg.name,
      path: path.length ? path : [arg.name],
      type: arg.type,
      description: arg.description ?? undefined,
      required: isNonNullType(arg.type) && arg.defaultValue === undefined,
    });
  };
  for (const a of spec.field.args) visit(a, []);
  return out;
}
