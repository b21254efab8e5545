import { builder } from '../builder.ts';
import { VmRef } from './vm.ts';
import type { StartedJob } from '../../server/actions/defineAction.ts';

export const VmActionResult = builder.objectRef<StartedJob>('VmActionResult').implement({
  description: 'A VM action the host accepted.',
  fields: (t) => ({
    vm: t.field({ type: VmRef, nullable: true, resolve: (r, _a, ctx) => ctx.db.vm.findUnique({ where: { id: r.objectId } }) }),
    job: t.field({
      type: 'Job' as never,
      description: 'The Job tracking the action: its status, steps and progress (jobProgress streams it).',
      resolve: (r, _a, ctx) => ctx.db.job.findUniqueOrThrow({ where: { id: r.jobId } }) as never,
    }),
  }),
});
