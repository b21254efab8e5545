// Names or ids wherever a command names an object: a global id is used as it is, anything else
// is looked up by name through the type's list query.
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import type { VireoClient } from '@vireo/sdk';
import type { CommandSpec } from './commandTable.ts';
import { CliError, EXIT } from './exitCodes.ts';

const NAME_FIELDS = ['name', 'alias', 'userName', 'description'];

/** The typename inside a global id, or null when the value is not one. */
export function globalIdType(value: string): string | null {
  if (!/^[A-Za-z0-9+/=]{8,}$/.test(value)) return null;
  const m = /^([A-Za-z]+):[0-9a-f-]{36}$/.exec(Buffer.from(value, 'base64').toString('utf8'));
  return m ? m[1]! : null;
}

export class NameResolver {
  private cache = new Map<string, { id: string; name: string }[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly specs: CommandSpec[],
    private readonly client: VireoClient,
  ) {}

  /** The list query of a type and the field its objects are named by. */
  private lister(type: string) {
    const spec = this.specs.find(
      (s) => s.shape === 'list' && s.type === type && !s.field.args.some((a) => a.name !== 'filter' && a.type.toString().endsWith('!')),
    );
    if (!spec) return null;
    const object = this.schema.getType(type);
    const nameField = isObjectType(object)
      ? NAME_FIELDS.find((f) => object.getFields()[f] && getNamedType(object.getFields()[f]!.type).name === 'String')
      : undefined;
    return nameField ? { spec, nameField } : null;
  }

  /** Objects of a type whose name starts with `prefix` (for completion; empty when the type has no list). */
  async names(type: string, prefix = ''): Promise<{ id: string; name: string }[]> {
    const lister = this.lister(type);
    if (!lister) return [];
    const key = `${type}\n${prefix}`;
    if (!this.cache.has(key)) {
      const { spec, nameField } = lister;
      const connection = !!(getNamedType(spec.field.type) as { getFields?(): Record<string, unknown> }).getFields?.().edges;
      const hasFilter = spec.field.args.find((a) => a.name === 'filter');
      const filterType = hasFilter ? (getNamedType(hasFilter.type) as unknown as { getFields(): Record<string, unknown> }) : null;
      const byName = filterType?.getFields().nameContains ? 'nameContains' : filterType?.getFields().text ? 'text' : null;
      const args = [connection ? 'first: 500' : '', byName && prefix ? `filter: { ${byName}: ${JSON.stringify(prefix)} }` : '']
        .filter(Boolean)
        .join(', ');
      const selection = `id ${nameField}`;
      const query = `{ ${spec.field.name}${args ? `(${args})` : ''} { ${connection ? `edges { node { ${selection} } }` : selection} } }`;
      const data = await this.client.request<Record<string, unknown>, Record<string, never>>(query);
      type Named = Record<string, string>;
      const field = data[spec.field.name] as { edges: { node: Named }[] } | Named[];
      const rows = Array.isArray(field) ? field : field.edges.map((e) => e.node);
      this.cache.set(
        key,
        rows.map((r) => ({ id: r.id!, name: r[nameField]! })).filter((r) => r.name.startsWith(prefix)),
      );
    }
    return this.cache.get(key)!;
  }

  /** The global id of the object of `type` named `value` (a name, or already an id). */
  async resolve(type: string | null, value: string): Promise<string> {
    if (!type || globalIdType(value)) return value;
    if (!this.lister(type)) return value;
    const matches = (await this.names(type, value)).filter((r) => r.name === value);
    if (matches.length === 1) return matches[0]!.id;
    if (!matches.length) throw new CliError(EXIT.USAGE, `No ${type} is named "${value}".`);
    throw new CliError(EXIT.USAGE, `${matches.length} objects of type ${type} are named "${value}"; give its id.`);
  }
}
