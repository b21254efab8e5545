import { builder } from '../builder.ts';

export const TagRef = builder.prismaNode('Tag', {
  id: { field: 'id' },
  nullable: true,
  description:
    "A tag (oVirt's tags): a label administrators create and users put on the VMs and hosts they may edit, to find them again (`tag=db` in a search).",
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    colour: t.exposeString('colour', { nullable: true, description: 'A colour #rrggbb to show it in; null: the default.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
