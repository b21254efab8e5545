import { builder } from '../schema/builder.ts';

builder.queryFields((t) => ({
  tags: t.prismaField({
    type: ['Tag'],
    description: 'Every tag, by name (anyone logged in may read them, as in oVirt).',
    resolve: (query, _root, _args, ctx) => ctx.db.tag.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
}));
