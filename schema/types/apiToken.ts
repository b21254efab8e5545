import { builder } from '../builder.ts';
import { ObjectType } from './enums.ts';
import { objectName } from '../../server/auth/objects.ts';

/** An API token as listed: never its secret, which only createApiToken shows, once. */
export const ApiTokenRef = builder.prismaNode('ApiToken', {
  // Its user sees it, and administrators.
  authScopes: (row, ctx) => (row.userId === ctx.actor.userId ? true : { admin: true }),
  id: { field: 'id' },
  nullable: true,
  description: 'A long-lived token for a tool: it acts as its user, within its limits. Send it as a session token is sent.',
  fields: (t) => ({
    name: t.exposeString('name'),
    user: t.relation('user', { description: 'Whom the token acts as.' }),
    createdBy: t.relation('createdBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'Null: it does not expire.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Its last use (to the minute); null: never used.',
    }),
    readOnly: t.exposeBoolean('readOnly', { description: 'It reads what its user may see and runs no action.' }),
    role: t.relation('role', {
      nullable: true,
      description: "With objectType/objectId: it may only use this role's action groups, on that object and below.",
    }),
    objectType: t.expose('objectType', { type: ObjectType, nullable: true }),
    objectId: t.exposeString('objectId', { nullable: true }),
    objectName: t.string({
      nullable: true,
      select: { objectType: true, objectId: true },
      resolve: (r, _a, ctx) => (r.objectType && r.objectId ? objectName(ctx.db, { type: r.objectType, id: r.objectId }) : null),
    }),
    operations: t.exposeStringList('operations', {
      description: 'When not empty, the only GraphQL documents it may run (as graphql-js prints them).',
    }),
  }),
});
