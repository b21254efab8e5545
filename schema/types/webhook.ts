import { builder } from '../builder.ts';
import * as E from '../../generated/prisma/enums.ts';

export const WebhookDeliveryStatus = builder.enumType(E.WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

export const WebhookDeliveryRef = builder.prismaObject('WebhookDelivery', {
  description: "One result of a webhook's subscription and how its POST went.",
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: "Its place in the webhook's order (X-Vireo-Sequence)." }),
    status: t.expose('status', { type: WebhookDeliveryStatus }),
    attempts: t.exposeInt('attempts'),
    lastStatus: t.exposeInt('lastStatus', { nullable: true, description: "The receiver's last HTTP status; null: it did not answer." }),
    lastError: t.exposeString('lastError'),
    body: t.exposeString('body', { description: 'What is POSTed: the GraphQL result as JSON.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
  }),
});

export const WebhookRef = builder.prismaNode('Webhook', {
  authScopes: (row, ctx) => row.userId === ctx.actor.userId,
  id: { field: 'id' },
  nullable: true,
  description:
    "A webhook: its subscription runs with its user's permissions and each result is POSTed to its URL. Its secret is never shown.",
  fields: (t) => ({
    name: t.exposeString('name'),
    url: t.exposeString('url'),
    query: t.exposeString('query'),
    variables: t.string({ select: { variables: true }, resolve: (h) => JSON.stringify(h.variables) }),
    enabled: t.exposeBoolean('enabled'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.relation('deliveries', {
      description: 'The newest deliveries first (at most 100), of one status when asked (FAILED: the ones given up on).',
      args: { status: t.arg({ type: WebhookDeliveryStatus, required: false }) },
      query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: { seq: 'desc' }, take: 100 }),
    }),
  }),
});
