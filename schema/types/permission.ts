import { builder } from '../builder.ts';
import { objectName } from '../../server/auth/objects.ts';
import { ObjectType } from './enums.ts';

builder.prismaNode('Permission', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    role: t.relation('role'),
    user: t.relation('user', { nullable: true }),
    group: t.relation('group', { nullable: true }),
    objectType: t.expose('objectType', { type: ObjectType }),
    objectId: t.exposeString('objectId'),
    objectName: t.string({
      nullable: true,
      description: "The name of the object it is on ('System' for the root).",
      select: { objectType: true, objectId: true },
      resolve: (p, _args, ctx) => objectName(ctx.db, { type: p.objectType, id: p.objectId }),
    }),
  }),
});
