import { builder } from '../builder.ts';
import { DiskFormat, ImageStatus } from './enums.ts';

export const DiskRef = builder.prismaNode('Disk', {
  id: { field: 'id' },
  nullable: true,
  description: 'A virtual disk image on a storage domain.',
  fields: (t) => ({
    alias: t.exposeString('alias'),
    description: t.exposeString('description'),
    storageDomain: t.relation('storageDomain'),
    format: t.expose('format', { type: DiskFormat }),
    sparse: t.exposeBoolean('sparse', { description: 'Thin provisioned (true) or preallocated.' }),
    shareable: t.exposeBoolean('shareable'),
    provisionedSizeBytes: t.expose('provisionedSizeBytes', { type: 'Long', description: 'Virtual size the guest sees.' }),
    actualSizeBytes: t.expose('actualSizeBytes', { type: 'Long', description: 'Space the image takes on storage.' }),
    status: t.expose('status', { type: ImageStatus }),
    template: t.relation('template', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    attachments: t.relation('attachments'),
  }),
});
