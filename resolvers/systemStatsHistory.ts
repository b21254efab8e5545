// The dashboard's history: every host the user may see, bucketed. Host.statsHistory and
// Vm.statsHistory are on their types (schema/types/host.ts, vm.ts).
import { builder } from '../schema/builder.ts';
import { SystemStatsPointRef } from '../schema/types/systemStatsPoint.ts';
import { historyDescription, minutesArg } from '../schema/types/statsHistoryArgs.ts';
import { systemStatsHistory } from '../server/history/statsHistory.ts';

builder.queryField('systemStatsHistory', (t) =>
  t.field({
    type: [SystemStatsPointRef],
    description: `The stored samples of every host one may see, in the last minutes. ${historyDescription}`,
    args: { minutes: t.arg.int(minutesArg) },
    resolve: async (_root, { minutes }, ctx) => systemStatsHistory(ctx.db, await ctx.visibility(), minutes),
  }),
);
