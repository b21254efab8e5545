import { builder } from '../schema/builder.ts';
import { EngineInstanceRef } from '../schema/types/engineInstance.ts';

builder.queryFields((t) => ({
  engineInstances: t.prismaField({
    type: [EngineInstanceRef],
    authScopes: { admin: true },
    description: 'The engines sharing the database (administrators): those running, and those stopped within the last hour, newest first.',
    resolve: (query, _r, _a, ctx) =>
      ctx.db.engineInstance.findMany({
        ...query,
        where: { OR: [{ stoppedAt: null }, { stoppedAt: { gt: new Date(Date.now() - 3_600_000) } }] },
        orderBy: { startedAt: 'desc' },
      }),
  }),
}));
