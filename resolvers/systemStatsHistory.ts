// The dashboard's history: every host the user may see, bucketed. Host.statsHistory,
// Vm.statsHistory and Cluster.statsHistory are on their types (schema/types/host.ts, vm.ts, cluster.ts).
import { builder } from '../schema/builder.ts';
import { SystemStatsPointRef } from '../schema/types/systemStatsPoint.ts';
import { historyArgs, historyDescription, windowOf } from '../schema/types/statsHistoryArgs.ts';
import { systemStatsHistory } from '../server/history/statsHistory.ts';

builder.queryField('systemStatsHistory', (t) =>
  t.field({
    type: [SystemStatsPointRef],
    description: `The stored samples of every host one may see, in a window (the last hour by default). ${historyDescription}`,
    args: historyArgs,
    resolve: async (_root, args, ctx) => systemStatsHistory(ctx.db, await ctx.visibility(), windowOf(args, ctx)),
  }),
);
