import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { objectName } from '../../validators/params.ts';
import { nameFree, refuseWhen } from '../../validators/reasons.ts';

/** The variables as a JSON object, or null when they are not one. */
function variablesOf(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const addWebhook = defineAction({
  type: 'AddWebhook',
  title: 'add Webhook',
  actionGroup: 'LOGIN',
  subject: () => SYSTEM,
  params: z.object({
    name: objectName,
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .max(2048)
      .describe('Where each result is POSTed.'),
    query: z.string().min(1).max(20_000).describe('A GraphQL subscription document: each of its results is POSTed in exactly that shape.'),
    variables: z.string().max(10_000).optional().describe("The document's variables, as a JSON object."),
    secret: z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(256)
      .describe('Key of the X-Vireo-Signature header: sha256=<hex HMAC-SHA256 of the body>.'),
  }),
  locks: (p) => [lockKey('WebhookName', p.name)],
  async validate({ tx, actor, engine }, p) {
    const taken = actor.userId ? await tx.webhook.count({ where: { userId: actor.userId, name: p.name } }) : 0;
    const problem = engine.subscriptionDocuments.problem(p.query);
    return [
      refuseWhen(!actor.userId, 'WEBHOOK_NEEDS_USER', 'A webhook runs as a user: log in as one.'),
      nameFree(taken > 0, 'Webhook', p.name),
      refuseWhen(problem !== null, 'WEBHOOK_DOCUMENT_INVALID', `The subscription document is not valid: ${problem}`),
      refuseWhen(variablesOf(p.variables) === null, 'WEBHOOK_VARIABLES_INVALID', 'The variables must be a JSON object.'),
    ];
  },
  async execute({ tx, actor, publish }, p) {
    const hook = await tx.webhook.create({ data: { ...p, variables: variablesOf(p.variables) as object, userId: actor.userId! } });
    publish('webhook:changed', { id: hook.id, kind: 'created' });
    return hook;
  },
  audit: (h) => ({ code: 'USER_ADD_WEBHOOK', vars: { webhookName: h.name, url: h.url } }),
  api: {
    mutation: 'addWebhook',
    description:
      'Register a webhook: the engine runs the subscription with your permissions and POSTs each result to the URL, signed, in order, retried with back-off.',
    payload: { field: 'webhook', type: 'Webhook' },
  },
});
