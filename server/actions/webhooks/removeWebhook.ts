import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';

export const removeWebhook = defineAction({
  type: 'RemoveWebhook',
  title: 'remove Webhook',
  actionGroup: 'LOGIN',
  subject: () => SYSTEM,
  params: z.object({ webhookId: nodeId('Webhook', 'id') }),
  locks: (p) => [lockKey('Webhook', p.webhookId)],
  async validate({ tx, actor }, p) {
    const hook = found(await tx.webhook.findUnique({ where: { id: p.webhookId } }), 'Webhook', p.webhookId);
    return [
      refuseWhen(hook.userId !== actor.userId, 'WEBHOOK_NOT_YOURS', "This webhook is another user's: only its owner may see or remove it."),
    ];
  },
  async execute({ tx, publish }, p) {
    const hook = await tx.webhook.delete({ where: { id: p.webhookId } });
    publish('webhook:changed', { id: hook.id, kind: 'removed' });
    return hook;
  },
  audit: (h) => ({ code: 'USER_REMOVE_WEBHOOK', vars: { webhookName: h.name } }),
  api: {
    mutation: 'removeWebhook',
    description: 'Remove one of your webhooks and its deliveries.',
    payload: { field: 'removed', type: 'Removed' },
    result: (h) => ({ typename: 'Webhook', id: h.id }),
  },
});
