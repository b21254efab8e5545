// An ISO image on an ISO storage domain (uploaded with PUT /iso-images/<domain>/<name>).
import { builder } from '../builder.ts';

export const IsoImageRef = builder.prismaNode('IsoImage', {
  id: { field: 'id' },
  nullable: true,
  description: 'An ISO image on an ISO storage domain, for VM CD-ROMs.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The file name on the domain.' }),
    sizeBytes: t.expose('sizeBytes', { type: 'Long' }),
    storageDomain: t.relation('storageDomain'),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was uploaded.' }),
  }),
});
