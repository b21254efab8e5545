// A step of a Job.
import { builder } from '../builder.ts';
import { JobStatus } from './enums.ts';

builder.prismaObject('Step', {
  fields: (t) => ({
    id: t.exposeID('id'),
    stepType: t.exposeString('stepType'),
    description: t.exposeString('description'),
    status: t.expose('status', { type: JobStatus }),
    progress: t.exposeInt('progress', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
  }),
});
