import { builder } from '../schema/builder.ts';
import { contains } from '../schema/sorting.ts';

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({
    text: t.string({ required: false, description: 'Part of the user name, display name or e-mail (case-insensitive).' }),
  }),
});

function userWhere(filter: { text?: string | null } | null | undefined) {
  const text = filter?.text?.trim();
  if (!text) return {};
  const like = contains(text);
  return { OR: [{ userName: like }, { displayName: like }, { email: like }] };
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
