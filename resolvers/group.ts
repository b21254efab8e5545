import { builder } from '../schema/builder.ts';

builder.queryFields((t) => ({
  groups: t.prismaField({
    type: ['Group'],
    authScopes: { admin: true },
    resolve: (query, _root, _args, ctx) => ctx.db.group.findMany({ ...query, orderBy: [{ domain: 'asc' }, { name: 'asc' }] }),
  }),
}));
