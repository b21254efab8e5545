import { builder } from '../schema/builder.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { ApiTokenRef } from '../schema/types/apiToken.ts';
import type { createApiToken } from '../server/actions/auth/createApiToken.ts';
import { can } from '../server/auth/permissions.ts';
import { SYSTEM } from '../server/auth/objects.ts';
import { ForbiddenError } from '../server/errors.ts';

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
builder.objectRef<Created>('NewApiToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret, shown only here: send it as `Authorization: Bearer <token>`.' }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (c, _a, ctx) => ctx.db.apiToken.findUniqueOrThrow({ where: { id: c.apiToken.id } }) }),
  }),
});
