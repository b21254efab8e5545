import { builder } from '../schema/builder.ts';
import { permissionObject } from '../schema/permissionObjects.ts';
import { ancestorsOf } from '../server/auth/objects.ts';

builder.queryFields((t) => ({
  permissions: t.prismaField({
    type: ['Permission'],
    authScopes: { admin: true },
    description:
      'Permissions on an object (System when no object is given); with includeInherited also those on the objects above it, which apply to it too (nearest first).',
    args: { object: t.arg.id({ required: false }), includeInherited: t.arg.boolean({ required: false }) },
    resolve: async (query, _root, args, ctx) => {
      const o = permissionObject(args.object as string | null);
      const on = args.includeInherited ? await ancestorsOf(ctx.db, o) : [o];
      const rows = await ctx.db.permission.findMany({
        ...query,
        where: { OR: on.map((r) => ({ objectType: r.type, objectId: r.id })) },
        orderBy: { createdAt: 'asc' },
      });
      const rank = (p: { objectType: string; objectId: string }) => on.findIndex((r) => r.type === p.objectType && r.id === p.objectId);
      return rows.sort((a, b) => rank(a) - rank(b));
    },
  }),
}));
