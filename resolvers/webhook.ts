import { builder } from '../schema/builder.ts';
import { WebhookRef } from '../schema/types/webhook.ts';
import { visible } from '../server/auth/permissions.ts';

builder.queryFields((t) => ({
  webhooks: t.prismaField({
    type: [WebhookRef],
    description: 'Your webhooks, by name.',
    resolve: async (query, _r, _a, ctx) =>
      ctx.db.webhook.findMany({ ...query, where: visible.webhook(await ctx.visibility(), ctx.actor), orderBy: { name: 'asc' } }),
  }),
}));
