// Calls of every root field, read from the schema so that a new field is probed without a
// hand-written case: each required argument gets a value of its type that passes GraphQL's own
// checks, and each ID the id a probe chooses for the argument's name.
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLInputType,
} from 'graphql';

/** Chooses the global id for an ID argument or input field, by its name. */
export type IdFor = (name: string) => string;

const ANY_VM = Buffer.from('Vm:00000000-0000-4000-8000-000000000000').toString('base64');

const SCALARS: Record<string, unknown> = {
  String: 'x',
  Int: 1,
  Float: 1,
  Boolean: false,
  Long: 1,
  DateTime: new Date(0).toISOString(),
  File: null,
};

/** Strings that pass the engine's checks of fields with these names; 'x' for any other. */
const STRINGS: Record<string, string> = {
  emailTo: 'probe@example.org',
  password: 'probepass1',
  url: 'http://127.0.0.1:9/probe',
  secret: '0123456789abcdef',
};

/** A value of the type with its required parts only; `name` is the argument or field it is for. */
export function sampleValue(type: GraphQLInputType, name: string, idFor: IdFor = () => ANY_VM): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, name, idFor);
  if (isListType(type)) return [sampleValue(type.ofType, name, idFor)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
        .map((f) => [f.name, sampleValue(f.type, f.name, idFor)]),
    );
  }
  if (isScalarType(type) && type.name === 'ID') return idFor(name);
  if (isScalarType(type) && type.name === 'String') return STRINGS[name] ?? 'x';
  if (isScalarType(type)) return type.name in SCALARS ? SCALARS[type.name] : 'x';
  return null;
}

/** The operation calling one root field with every required argument as a variable. */
export function rootOperation(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>, idFor?: IdFor) {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const defs = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = selectionOf(getNamedType(field.type));
  return {
    query: `${kind}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`,
    variables: Object.fromEntries(required.map((a) => [a.name, sampleValue(a.type, a.name, idFor)])),
  };
}

/** What to ask of a root field's answer: an action's result or error code, a dry run's verdict. */
function selectionOf(type: GraphQLNamedType): string {
  if (isUnionType(type)) return ' { __typename ... on Error { code message } }';
  if (isObjectType(type) && 'allowed' in type.getFields() && 'reasons' in type.getFields()) return ' { allowed reasons { code message } }';
  return isObjectType(type) || isAbstractType(type) ? ' { __typename }' : '';
}
