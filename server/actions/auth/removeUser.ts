import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { ADMIN_USER } from '../../auth/initialAdmin.ts';

export const removeUser = defineAction({
  type: 'RemoveUser',
  title: 'remove User',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({ userId: nodeId('User', 'id') }),
  locks: (p) => [lockKey('User', p.userId)],
  async validate({ tx }, p) {
    const u = found(await tx.user.findUnique({ where: { id: p.userId } }), 'User', p.userId);
    return [refuseWhen(u.domain === 'internal' && u.userName === ADMIN_USER, 'USER_IS_ADMIN', 'User admin@internal cannot be removed.')];
  },
  async execute({ tx, publish }, p) {
    const u = await tx.user.delete({ where: { id: p.userId } });
    publish('permission:changed', { id: u.id, kind: 'removed' });
    return u;
  },
  audit: (u) => ({ code: 'USER_REMOVED', vars: { targetName: `${u.userName}@${u.domain}` } }),
  api: {
    mutation: 'removeUser',
    description: 'Remove a user and its permissions.',
    payload: { field: 'removed', type: 'Removed' },
    result: (u) => ({ typename: 'User', id: u.id }),
  },
});
