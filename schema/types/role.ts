import { builder } from '../builder.ts';

builder.prismaNode('Role', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    builtIn: t.exposeBoolean('builtIn'),
    adminRole: t.exposeBoolean('adminRole'),
    actionGroups: t.exposeStringList('actionGroups'),
  }),
});
