import { builder } from '../schema/builder.ts';

builder.queryFields((t) => ({
  roles: t.prismaField({
    type: ['Role'],
    resolve: (query, _root, _args, ctx) => ctx.db.role.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
}));
