import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { mayManageTokensOf } from './apiTokenOwners.ts';

/** Revoked by its user or an administrator; it stops working at once. */
export const revokeApiToken = defineAction({
  type: 'RevokeApiToken',
  title: 'revoke API token',
  actionGroup: 'LOGIN',
  subject: () => SYSTEM,
  params: z.object({ id: nodeId('ApiToken', 'id') }),
  locks: (p) => [lockKey('ApiToken', p.id)],
  async validate({ tx, actor }, p) {
    const row = found(await tx.apiToken.findUnique({ where: { id: p.id } }), 'ApiToken', p.id);
    await mayManageTokensOf(tx, actor, row.userId, 'revoke API token');
    return [];
  },
  async execute({ tx, publish }, p) {
    const row = await tx.apiToken.delete({ where: { id: p.id }, include: { user: { select: { userName: true, domain: true } } } });
    publish('permission:changed', { id: row.id, kind: 'removed' }); // open subscriptions stop at once
    return row;
  },
  audit: (t) => ({ code: 'API_TOKEN_REVOKED', vars: { tokenName: t.name, targetName: `${t.user.userName}@${t.user.domain}` } }),
  api: {
    mutation: 'revokeApiToken',
    description: 'Revoke an API token: it stops working at once, on open subscriptions too.',
    payload: { field: 'removed', type: 'Removed' },
    result: (t) => ({ typename: 'ApiToken', id: t.id }),
  },
});
