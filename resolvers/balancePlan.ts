import { builder } from '../schema/builder.ts';
import { localId } from '../schema/ids.ts';
import { BalancePlanRef } from '../schema/types/balancePlan.ts';
import { canSee } from '../server/auth/permissions.ts';
import { NotFoundError } from '../server/errors.ts';
import { balancePlan } from '../server/balancer/balancePlan.ts';

builder.queryField('balancePlan', (t) =>
  t.field({
    type: BalancePlanRef,
    description:
      "What the cluster's balancer would do now, and why: the migrations of its next cycle (at most a few), each host's load, and notes. Changes nothing.",
    args: { cluster: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = localId(String(args.cluster), 'Cluster', 'cluster');
      if (!canSee.cluster(await ctx.visibility(), { id })) throw new NotFoundError('Cluster', String(args.cluster));
      const plan = await balancePlan(ctx.engine, id);
      if (!plan) throw new NotFoundError('Cluster', String(args.cluster));
      return plan;
    },
  }),
);
