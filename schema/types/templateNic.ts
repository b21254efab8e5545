// A NIC of a template, copied to each VM made from it.
import { builder } from '../builder.ts';
import { NicInterface } from './enums.ts';

builder.prismaObject('TemplateNic', {
  fields: (t) => ({
    name: t.exposeString('name'),
    network: t.relation('network', { nullable: true }),
    interface: t.expose('interface', { type: NicInterface }),
  }),
});
