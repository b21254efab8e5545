import { builder } from '../schema/builder.ts';
import { and, contains } from '../schema/sorting.ts';
import { SEARCH_FIELD, searched } from '../schema/search.ts';
import { USER_SEARCH } from '../server/search/userSearch.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({
    text: t.string({ required: false, description: 'Part of the user name, display name or e-mail (case-insensitive).' }),
    search: t.string(SEARCH_FIELD),
  }),
});

function userWhere(filter: { text?: string | null; search?: string | null } | null | undefined): Prisma.UserWhereInput {
  const text = filter?.text?.trim();
  const like = text ? contains(text) : undefined;
  return and(
    searched(USER_SEARCH, filter?.search),
    like ? { OR: [{ userName: like }, { displayName: like }, { email: like }] } : undefined,
  );
}

builder.queryFields((t) => ({
  users: t.prismaConnection({
    type: 'User',
    cursor: 'id',
    authScopes: { admin: true },
    args: { filter: t.arg({ type: UserFilter, required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.user.findMany({ ...query, where: userWhere(args.filter), orderBy: [{ userName: 'asc' }, { id: 'asc' }] }),
    totalCount: (_c, args, ctx) => ctx.db.user.count({ where: userWhere(args.filter) }),
  }),
}));
