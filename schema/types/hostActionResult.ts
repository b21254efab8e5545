import { builder } from '../builder.ts';
import { HostRef } from './host.ts';
import type { StartedJob } from '../../server/actions/defineAction.ts';

export const HostActionResult = builder.objectRef<StartedJob>('HostActionResult').implement({
  description: 'A host action that was started.',
  fields: (t) => ({
    host: t.field({ type: HostRef, nullable: true, resolve: (r, _a, ctx) => ctx.db.host.findUnique({ where: { id: r.objectId } }) }),
    job: t.field({ type: 'Job' as never, resolve: (r, _a, ctx) => ctx.db.job.findUniqueOrThrow({ where: { id: r.jobId } }) as never }),
  }),
});
