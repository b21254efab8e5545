import { builder } from '../builder.ts';
import { DiskInterface } from './enums.ts';

builder.prismaObject('DiskAttachment', {
  description: 'A disk as plugged into a VM.',
  fields: (t) => ({
    id: t.exposeID('id'),
    disk: t.relation('disk'),
    vm: t.relation('vm'),
    bootable: t.exposeBoolean('bootable'),
    interface: t.expose('interface', { type: DiskInterface }),
    active: t.exposeBoolean('active'),
  }),
});
