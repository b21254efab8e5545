import { builder } from '../builder.ts';

export const GroupRef = builder.prismaNode('Group', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    name: t.exposeString('name'),
    domain: t.exposeString('domain'),
  }),
});
