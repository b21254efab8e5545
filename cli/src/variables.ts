// Command-line values → GraphQL variables, by the schema's types: names become ids, enums are
// case-insensitive, `key=value` pairs fill mapping lists, a File is a path, JSON for the rest.
import fs from 'node:fs';
import path from 'node:path';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
} from 'graphql';
import { idTarget, type CommandSpec, flagsOf } from './commandTable.ts';
import type { NameResolver } from './names.ts';
import { CliError, EXIT } from './exitCodes.ts';

/** An input object of two fields, one a required String key: given on the command line as key=value. */
export function keyValueFields(type: GraphQLInputObjectType): { key: string; value: string } | null {
  const fields = Object.values(type.getFields());
  if (fields.length !== 2) return null;
  const key = fields.find((f) => isNonNullType(f.type) && getNamedType(f.type).name === 'String');
  const value = fields.find((f) => f !== key);
  return key && value && !isListType(isNonNullType(value.type) ? value.type.ofType : value.type)
    ? { key: key.name, value: value.name }
    : null;
}

async function convert(
  value: unknown,
  type: GraphQLInputType,
  fieldName: string,
  spec: CommandSpec,
  types: string[],
  names: NameResolver,
): Promise<unknown> {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value];
    return Promise.all(items.map((v) => convert(v, inner.ofType, fieldName, spec, types, names)));
  }
  const named = getNamedType(type);
  const text = String(value);
  if (isEnumType(named)) {
    const hit = named.getValues().find((v) => v.name.toLowerCase() === text.toLowerCase().replace(/-/g, '_'));
    if (!hit)
      throw new CliError(
        EXIT.USAGE,
        `--${fieldName}: "${text}" is not one of ${named
          .getValues()
          .map((v) => v.name.toLowerCase())
          .join(', ')}.`,
      );
    return hit.name;
  }
  if (isInputObjectType(named)) {
    const kv = keyValueFields(named);
    if (kv && /^[^={]+=/.test(text)) {
      const [k, ...rest] = text.split('=');
      const v = rest.join('=');
      const valueField = named.getFields()[kv.value]!;
      return { [kv.key]: k, [kv.value]: v === '' ? null : await convert(v, valueField.type, kv.value, spec, types, names) };
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new CliError(EXIT.USAGE, `--${fieldName}: give JSON for ${named.name}${kv ? ` or ${kv.key}=${kv.value}` : ''}.`);
    }
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case 'ID':
        return names.resolve(idTarget(fieldName, spec, types), text);
      case 'Int':
      case 'Float':
      case 'Long': {
        const n = Number(text);
        if (!Number.isFinite(n)) throw new CliError(EXIT.USAGE, `--${fieldName}: "${text}" is not a number.`);
        return n;
      }
      case 'Boolean':
        return value === true || text === 'true';
      case 'File': {
        if (!fs.existsSync(text)) throw new CliError(EXIT.USAGE, `--${fieldName}: no file ${text}.`);
        return new File([await fs.openAsBlob(text)], path.basename(text));
      }
      default:
        return text;
    }
  }
  return value;
}

/** The variables of a command from its parsed arguments (camelCase keys, as yargs gives them). */
export async function variablesOf(
  spec: CommandSpec,
  argv: Record<string, unknown>,
  types: string[],
  names: NameResolver,
): Promise<Record<string, unknown>> {
  type Vars = { [key: string]: unknown };
  const vars: Vars = {};
  for (const flag of flagsOf(spec)) {
    const value = argv[flag.name];
    if (value === undefined) continue;
    let target = vars;
    for (const p of flag.path.slice(0, -1)) {
      target[p] ??= {};
      target = target[p] as Vars;
    }
    target[flag.path.at(-1)!] = await convert(value, flag.type, flag.name, spec, types, names);
  }
  return vars;
}
