import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import { JobStatus } from './enums.ts';

export const JobRef = builder.prismaNode('Job', {
  id: { field: 'id' },
  nullable: true,
  description: 'A long-running action and its steps.',
  fields: (t) => ({
    actionType: t.exposeString('actionType'),
    description: t.exposeString('description'),
    status: t.expose('status', { type: JobStatus }),
    userName: t.exposeString('userName'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    steps: t.relation('steps', { query: { orderBy: { number: 'asc' } } }),
    vmId: t.id({
      nullable: true,
      description: "The global id of the VM the job acts on, if any (a migration's Cancel is `cancelMigrateVm` of that VM).",
      resolve: (j) => (j.vmId ? encodeGlobalID('Vm', j.vmId) : null),
    }),
  }),
});
