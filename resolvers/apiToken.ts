import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed } from '../schema/inputs.ts';
import { ApiTokenRef } from '../schema/types/apiToken.ts';
import { createApiToken, revokeApiToken } from '../server/actions/auth/apiTokenActions.ts';
import { can } from '../server/auth/permissions.ts';
import { SYSTEM } from '../server/auth/objects.ts';
import { ForbiddenError } from '../server/errors.ts';
import { permissionObject } from './permission.ts';

builder.queryField('apiTokens', (t) =>
  t.prismaField({
    type: [ApiTokenRef],
    description: "API tokens with their last use: the user's own, or (administrators) another user's, or with `allUsers` everyone's.",
    args: { user: t.arg.id({ required: false }), allUsers: t.arg.boolean({ required: false }) },
    resolve: async (query, _r, args, ctx) => {
      const userId = optionalLocalId(args.user as string | null, 'User', 'user') ?? ctx.actor.userId ?? '';
      const others = args.allUsers || userId !== ctx.actor.userId;
      if (others && !(await can(ctx.db, ctx.actor, 'MANIPULATE_USERS', SYSTEM))) throw new ForbiddenError('list API tokens of other users');
      return ctx.db.apiToken.findMany({ ...query, where: args.allUsers ? {} : { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },
  }),
);

type Created = Awaited<ReturnType<typeof createApiToken.execute>>;
const NewApiTokenRef = builder.objectRef<Created>('NewApiToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret, shown only here: send it as `Authorization: Bearer <token>`.' }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (c, _a, ctx) => ctx.db.apiToken.findUniqueOrThrow({ where: { id: c.apiToken.id } }) }),
  }),
});

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Unique among the user\'s tokens, e.g. "dashboard".' }),
    user: t.id({ required: false, description: 'Administrators: make it for this user (a service account); default: yourself.' }),
    expiresAt: t.field({ type: 'DateTime', required: false, description: 'Default: it does not expire.' }),
    readOnly: t.boolean({ required: false, description: 'It reads what the user may see and runs no action.' }),
    role: t.id({ required: false, description: 'With object: only this role\'s action groups, which the user must hold there.' }),
    object: t.id({ required: false, description: 'With role: only this object and what is below it.' }),
    operations: t.stringList({ required: false, description: 'Saved operations: the only GraphQL documents it may run (whitespace and comments do not matter).' }),
  }),
});

actionField('createApiToken', {
  action: createApiToken,
  description: 'Create an API token for a tool; its secret is shown once. It acts as its user, limited to a subset of the user\'s permissions.',
  input: CreateApiTokenInput, type: NewApiTokenRef, dataField: 'created',
  params: (i) => ({
    name: i.name,
    userId: optionalLocalId(i.user as string | null, 'User', 'user'),
    expiresAt: i.expiresAt ?? undefined,
    readOnly: i.readOnly ?? undefined,
    roleId: optionalLocalId(i.role as string | null, 'Role', 'role'),
    object: i.object == null ? undefined : (({ objectType, objectId }) => ({ type: objectType, id: objectId }))(permissionObject(String(i.object))),
    operations: i.operations ?? undefined,
  }),
});

actionField('revokeApiToken', {
  action: revokeApiToken,
  description: 'Revoke an API token: it stops working at once, on open subscriptions too.',
  input: builder.inputType('RevokeApiTokenInput', { fields: (t) => ({ id: t.id({ required: true }) }) }),
  type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ id: localId(String(id), 'ApiToken', 'id') }),
  resolve: (r) => removed('ApiToken', r.id),
});
