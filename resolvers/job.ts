import { builder } from '../schema/builder.ts';
import { and, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { JobStatus, SortDirection } from '../schema/types/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { JobStatus as JobStatusValue } from '../generated/prisma/enums.ts';
import type { Context } from '../schema/context.ts';

/** Jobs with the given statuses; a user without a System grant sees only the jobs it started. */
async function jobWhere(ctx: Context, status: readonly JobStatusValue[] | null | undefined): Promise<Prisma.JobWhereInput> {
  return and({ status: status ? { in: [...status] } : undefined }, visible.job(await ctx.visibility(), ctx.actor));
}

const JobSortField = builder.enumType('JobSortField', {
  values: {
    STARTED_AT: { value: 'startedAt' },
    ENDED_AT: { value: 'endedAt' },
    STATUS: { value: 'status' },
    DESCRIPTION: { value: 'description' },
    OWNER: { value: 'userName' },
  } as const,
});

builder.queryFields((t) => ({
  jobs: t.prismaConnection({
    type: 'Job',
    cursor: 'id',
    description: 'Long-running actions, newest first unless sorted otherwise.',
    args: {
      status: t.arg({ type: [JobStatus], required: false }),
      sortBy: t.arg({ type: JobSortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.job.findMany({
        ...query,
        where: await jobWhere(ctx, args.status),
        orderBy:
          args.sortBy || args.direction
            ? orderBy(args.sortBy, args.direction ?? 'DESC', 'startedAt')
            : [{ startedAt: 'desc' }, { id: 'desc' }],
      }),
    totalCount: async (_c, args, ctx) => ctx.db.job.count({ where: await jobWhere(ctx, args.status) }),
  }),
}));
