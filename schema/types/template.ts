import { builder } from '../builder.ts';
import { DisplayType, ImageStatus } from './enums.ts';

builder.prismaNode('Template', {
  id: { field: 'id' },
  nullable: true,
  description: 'A VM template: sealed hardware and disks that new VMs are made from.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    cluster: t.relation('cluster', { nullable: true }),
    status: t.expose('status', { type: ImageStatus }),
    osType: t.exposeString('osType'),
    cpuSockets: t.exposeInt('cpuSockets'),
    cpuCores: t.exposeInt('cpuCores'),
    cpuThreads: t.exposeInt('cpuThreads'),
    memoryMb: t.exposeInt('memoryMb'),
    guaranteedMemoryMb: t.exposeInt('guaranteedMemoryMb'),
    highlyAvailable: t.exposeBoolean('highlyAvailable'),
    stateless: t.exposeBoolean('stateless'),
    displayType: t.expose('displayType', { type: DisplayType }),
    version: t.exposeInt('version'),
    disks: t.relation('disks'),
    nics: t.relation('nics', {
      query: { orderBy: { name: 'asc' } },
      description: 'VMs made from the template get these NICs, each with a MAC of its own.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
