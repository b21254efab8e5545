import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { ADMIN_USER } from '../../auth/initialAdmin.ts';
import { email, password, personName } from './userParams.ts';

export const updateUser = defineAction({
  type: 'UpdateUser',
  title: 'update User',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({
    userId: nodeId('User', 'id'),
    active: z.boolean().optional().describe('false disables the account and ends its sessions.'),
    password: password.optional(),
    displayName: personName.optional(),
    email: email.optional(),
  }),
  locks: (p) => [lockKey('User', p.userId)],
  async validate({ tx }, p) {
    const u = found(await tx.user.findUnique({ where: { id: p.userId } }), 'User', p.userId);
    return [
      refuseWhen(
        !!p.password && u.domain !== 'internal',
        'USER_PASSWORD_IN_DIRECTORY',
        `User ${u.userName}@${u.domain} changes its password in its directory.`,
      ),
      refuseWhen(
        p.active === false && u.domain === 'internal' && u.userName === ADMIN_USER,
        'USER_IS_ADMIN',
        'User admin@internal cannot be disabled.',
      ),
    ];
  },
  async execute({ tx, publish }, { userId, password: pw, ...data }) {
    const u = await tx.user.update({ where: { id: userId }, data: { ...data, ...(pw ? { passwordHash: await hashPassword(pw) } : {}) } });
    // Disabling, or a new password, ends the user's sessions.
    if (data.active === false || pw) await tx.session.deleteMany({ where: { userId } });
    publish('permission:changed', { id: userId, kind: 'updated' });
    return u;
  },
  audit: (u) => ({ code: 'USER_UPDATED', vars: { targetName: `${u.userName}@${u.domain}` } }),
  api: {
    mutation: 'updateUser',
    description: 'Enable or disable a user, or set a local password.',
    payload: { field: 'user', type: 'User' },
  },
});
