// Alert rules (administrators) and alerts (whoever may see their object): lists and the `alerts`
// subscription, which streams each firing and resolution with the subscriber's permissions.
import { pipe } from 'graphql-yoga';
import { builder } from '../schema/builder.ts';
import { AlertRef, AlertRuleRef } from '../schema/types/alert.ts';
import { and } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import type { Alert } from '../generated/prisma/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { reload } from './liveUpdates.ts';

const firingWhere = (firing: boolean | null | undefined): Prisma.AlertWhereInput =>
  firing == null ? {} : { resolvedAt: firing ? null : { not: null } };

builder.queryFields((t) => ({
  alertRules: t.prismaField({
    type: [AlertRuleRef],
    authScopes: { admin: true },
    description: 'Every alert rule, by name (administrators).',
    resolve: (query, _r, _a, ctx) => ctx.db.alertRule.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
  alerts: t.prismaConnection({
    type: AlertRef,
    cursor: 'id',
    description: 'Alerts about what one may see, newest first; `firing: true` only those not resolved.',
    args: { firing: t.arg.boolean({ required: false }) },
    resolve: async (query, _r, args, ctx) =>
      ctx.db.alert.findMany({
        ...query,
        where: and(firingWhere(args.firing), visible.alert(await ctx.visibility())),
        orderBy: [{ firedAt: 'desc' }, { id: 'desc' }],
      }),
    totalCount: async (_c, args, ctx) =>
      ctx.db.alert.count({ where: and(firingWhere(args.firing), visible.alert(await ctx.visibility())) }),
  }),
}));

builder.subscriptionFields((t) => ({
  alerts: t.field({
    type: AlertRef,
    description: 'Each alert as it fires and again as it is resolved, for the objects the subscriber may see.',
    subscribe: (_r, _a, ctx) =>
      pipe(
        ctx.engine.pubsub.subscribe('alert:changed'),
        reload(async (id) => ctx.db.alert.findFirst({ where: { id, AND: visible.alert(await ctx.visibility()) } })),
      ),
    resolve: (a: Alert) => a,
  }),
}));
