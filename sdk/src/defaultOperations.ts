// One default operation per root field of the schema, so every query, mutation and subscription
// has a ready document: GraphQL Code Generator types them for the SDK, the CLI runs them.
//
// What a default selection holds: every argument as a variable; the returned object's scalar and
// enum fields; the objects it holds (one level of other nodes, with their scalars only, so a VM
// shows its cluster's name but not the cluster's hosts); every member of a union (a mutation's
// success payload and its typed errors). Fields that take arguments are left out below the root,
// and a node's lists of objects (a host's NICs, a job's steps) hold their scalars only: each
// level multiplies the query's cost by the page size.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export type OperationKind = 'query' | 'mutation' | 'subscription';

/** Operation name of a root field's default document, e.g. VmsQuery, RunVmMutation. */
export function operationName(kind: OperationKind, field: string): string {
  return `${field[0]!.toUpperCase()}${field.slice(1)}${kind[0]!.toUpperCase()}${kind.slice(1)}`;
}

/** A depth below which a selection holds scalars only. */
const SCALARS_ONLY = 6;

const isNode = (t: GraphQLNamedType) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node');
const isConnection = (t: GraphQLNamedType) => isObjectType(t) && 'edges' in t.getFields() && 'pageInfo' in t.getFields();

/**
 * The selection set of a type. `insideNode`: a node was entered above; another node is then
 * selected by its scalars only.
 */
export function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, insideNode = false, depth = 0): string {
  if (isLeafType(type)) return '';
  if (isUnionType(type)) {
    const members = type.getTypes().map((m) => `... on ${m.name} ${selectionOf(schema, m, insideNode, depth)}`);
    return `{ __typename ${members.join(' ')} }`;
  }
  if (isInterfaceType(type)) {
    const own = Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some(requiredArg));
    return `{ __typename ${own.map((f) => f.name).join(' ')} }`;
  }
  const object = type as GraphQLObjectType;
  const entering = isNode(object);
  const scalarsOnly = (entering && insideNode) || depth >= SCALARS_ONLY;
  const parts: string[] = [];
  for (const f of Object.values(object.getFields())) {
    // A field with arguments (history ranges, pages) is asked for by name, never by default.
    if (f.args.length && (depth > 0 || entering)) continue;
    if (f.args.some(requiredArg)) continue;
    const named = getNamedType(f.type);
    if (isLeafType(named)) {
      parts.push(f.name);
      continue;
    }
    if (scalarsOnly || (isConnection(named) && depth > 0)) continue;
    const listInNode = (entering || insideNode) && isListType(getNullableType(f.type));
    parts.push(`${f.name} ${selectionOf(schema, named, insideNode || entering, listInNode ? SCALARS_ONLY : depth + 1)}`);
  }
  if (entering || isObjectType(type)) parts.unshift('__typename');
  return `{ ${parts.join(' ')} }`;
}

const requiredArg = (a: { type: unknown; defaultValue?: unknown }) => isNonNullType(a.type) && a.defaultValue === undefined;

/** The default document of one root field. */
export function defaultOperation(schema: GraphQLSchema, kind: OperationKind, field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a) => `$${a.name}: ${a.type.toString()}`);
  const args = field.args.map((a) => `${a.name}: $${a.name}`);
  const named = getNamedType(field.type);
  const selection = isLeafType(named) || isEnumType(named) ? '' : ` ${selectionOf(schema, named)}`;
  return `${kind} ${operationName(kind, field.name)}${vars.length ? `(${vars.join(', ')})` : ''} { ${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
}

/** Root fields the SDK and CLI leave out: the host agents' own protocol. */
export const AGENT_ONLY = /^agent[A-Z]/;

/** Every root field's default document, by kind and field name. */
export function defaultOperations(schema: GraphQLSchema): Record<OperationKind, Record<string, string>> {
  const out: Record<OperationKind, Record<string, string>> = { query: {}, mutation: {}, subscription: {} };
  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  for (const kind of Object.keys(roots) as OperationKind[]) {
    for (const field of Object.values(roots[kind]?.getFields() ?? {})) {
      if (AGENT_ONLY.test(field.name)) continue;
      out[kind][field.name] = defaultOperation(schema, kind, field);
    }
  }
  return out;
}
