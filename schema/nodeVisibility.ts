// node(id) and nodes(ids) show an object only to whom its type's list would show it: one
// visibility filter per Node type (server/auth/permissions.ts `visible`), checked before loading.
import type { SchemaTypes } from '@pothos/core';
import { resolveNodes } from '@pothos/plugin-relay';
import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { can, visible, type Visibility } from '../server/auth/permissions.ts';
import { SYSTEM } from '../server/auth/objects.ts';
import { ForbiddenError, InputError } from '../server/errors.ts';
import type { Context } from './context.ts';

type Where = object | undefined;

/** Each Node type's Prisma model and the filter of what the actor may see of it (undefined: all). */
const NODE_TYPES: Record<string, { model: string; where: (v: Visibility, ctx: Context) => Where | Promise<Where> }> = {
  DataCenter: { model: 'dataCenter', where: (v) => visible.dataCenter(v) },
  Cluster: { model: 'cluster', where: (v) => visible.cluster(v) },
  AffinityGroup: { model: 'affinityGroup', where: (v) => visible.affinityGroup(v) },
  Host: { model: 'host', where: (v) => visible.host(v) },
  FenceAgent: { model: 'fenceAgent', where: (v) => (v.all ? undefined : { host: visible.host(v) }) },
  Vm: { model: 'vm', where: (v) => visible.vm(v) },
  VmNic: { model: 'vmNic', where: (v) => (v.all ? undefined : { vm: visible.vm(v) }) },
  StorageDomain: { model: 'storageDomain', where: (v) => visible.storageDomain(v) },
  IsoImage: { model: 'isoImage', where: (v) => (v.all ? undefined : { storageDomain: visible.storageDomain(v) }) },
  Network: { model: 'network', where: (v) => visible.network(v) },
  Disk: { model: 'disk', where: (v) => visible.disk(v) },
  Snapshot: { model: 'snapshot', where: (v) => visible.snapshot(v) },
  Template: { model: 'template', where: (v) => visible.template(v) },
  Event: { model: 'auditLog', where: (v) => visible.event(v) },
  Job: { model: 'job', where: (v, ctx) => visible.job(v, ctx.actor) },
  User: { model: 'user', where: (v, ctx) => visible.user(v, ctx.actor) },
  Group: { model: 'group', where: (v, ctx) => visible.group(v, ctx.actor) },
  Permission: { model: 'permission', where: (v) => visible.permission(v) },
  Role: { model: 'role', where: () => undefined },
  Tag: { model: 'tag', where: () => undefined },
  SavedSearch: { model: 'savedSearch', where: (_v, ctx) => ({ userId: ctx.actor.userId ?? '' }) },
  AlertRule: { model: 'alertRule', where: (v) => visible.alertRule(v) },
  ReportSchedule: { model: 'reportSchedule', where: (v) => visible.reportSchedule(v) },
  Alert: { model: 'alert', where: (v) => visible.alert(v) },
  Webhook: { model: 'webhook', where: (v, ctx) => visible.webhook(v, ctx.actor) },
  ApiToken: {
    model: 'apiToken',
    where: async (v, ctx) => visible.apiToken(v, ctx.actor, await can(ctx.db, ctx.actor, 'MANIPULATE_USERS', SYSTEM)),
  },
};

/** The most ids one nodes(ids) takes (a connection's largest page). */
export const MAX_NODE_IDS = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fails the schema's build when a type implements Node without a visibility filter here. */
export function assertNodeVisibility(schema: GraphQLSchema): void {
  const node = schema.getType('Node');
  const missing = Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i === node) && !NODE_TYPES[t.name])
    .map((t) => t.name);
  if (missing.length) throw new Error(`Node types without a visibility filter in schema/nodeVisibility.ts: ${missing.join(', ')}`);
}

type GlobalId = { typename: string; id: string };

/** The ids of each type the actor may see that exist, and those of types it sees all of that do not exist. */
async function visibleIds(ctx: Context, ids: readonly GlobalId[]): Promise<{ seen: Set<string>; missing: Set<string> }> {
  const v = await ctx.visibility();
  const byType = new Map<string, GlobalId[]>();
  for (const g of ids) byType.set(g.typename, [...(byType.get(g.typename) ?? []), g]);
  const seen = new Set<string>();
  const missing = new Set<string>();
  await Promise.all(
    [...byType].map(async ([typename, group]) => {
      const type = NODE_TYPES[typename]!;
      const where = await type.where(v, ctx);
      const local = [...new Set(group.map((g) => g.id))];
      const delegate = (ctx.db as unknown as Record<string, { findMany(args: object): Promise<{ id: string }[]> }>)[type.model]!;
      for (const row of await delegate.findMany({ where: { AND: [{ id: { in: local } }, where ?? {}] }, select: { id: true } }))
        seen.add(`${typename}:${row.id}`);
      // Where all are visible, the ids of no object are null without loading each (500 made-up ids cost one statement).
      if (!where) for (const id of local) if (!seen.has(`${typename}:${id}`)) missing.add(`${typename}:${id}`);
    }),
  );
  return { seen, missing };
}

/**
 * The objects of `ids`, in their positions: null where none exists, a FORBIDDEN error where the
 * actor may not see it (whether or not it exists, so that existence does not leak).
 */
export async function visibleNodes<Types extends SchemaTypes>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  ctx: Context,
  info: GraphQLResolveInfo,
  ids: readonly GlobalId[],
  arg: 'id' | 'ids',
): Promise<unknown[]> {
  if (ids.length > MAX_NODE_IDS) throw new InputError([{ path: arg, message: `at most ${MAX_NODE_IDS} ids, not ${ids.length}` }]);
  ids.forEach((g, i) => {
    if (!NODE_TYPES[g.typename] || !UUID.test(g.id))
      throw new InputError([{ path: arg === 'id' ? arg : `${arg}.${i}`, message: `"${g.typename}:${g.id}" is not the id of an object` }]);
  });
  const { seen, missing } = await visibleIds(ctx, ids);
  const allowed = (g: GlobalId) => seen.has(`${g.typename}:${g.id}`);
  const loaded = await resolveNodes(
    builder,
    ctx,
    info,
    ids.map((g) => (allowed(g) ? g : null)),
  );
  return Promise.all(
    loaded.map((row, i) =>
      allowed(ids[i]!) || missing.has(`${ids[i]!.typename}:${ids[i]!.id}`) ? row : new ForbiddenError(`see this ${ids[i]!.typename}`),
    ),
  );
}
