import { builder } from '../builder.ts';
import { ImageStatus, SnapshotType } from './enums.ts';

builder.prismaNode('Snapshot', {
  id: { field: 'id' },
  nullable: true,
  fields: (t) => ({
    vm: t.relation('vm'),
    description: t.exposeString('description'),
    type: t.expose('type', { type: SnapshotType }),
    status: t.expose('status', { type: ImageStatus }),
    withMemory: t.exposeBoolean('withMemory'),
    parent: t.relation('parent', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
