import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nameFree } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { domain, email, password, personName, userName } from './userParams.ts';

export const addUser = defineAction({
  type: 'AddUser',
  title: 'add User',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z
    .object({
      userName,
      domain: domain.describe("'internal' (default) for a local account, or a directory profile."),
      password: password.optional().describe('Local accounts only; at least 8 characters.'),
      displayName: personName.optional(),
      email: email.optional(),
    })
    .refine((p) => (p.domain === 'internal') === !!p.password, {
      message: 'local users need a password; directory users authenticate in their directory',
      path: ['password'],
    }),
  locks: (p) => [lockKey('UserName', `${p.domain}/${p.userName}`)],
  async validate({ tx }, p) {
    return [nameFree((await tx.user.count({ where: { domain: p.domain, userName: p.userName } })) > 0, 'User', p.userName, p.domain)];
  },
  async execute({ tx }, { password: pw, ...data }) {
    return tx.user.create({ data: { ...data, passwordHash: pw ? await hashPassword(pw) : null } });
  },
  audit: (u) => ({ code: 'AD_COMPUTED_USER_ADDED', vars: { targetName: `${u.userName}@${u.domain}` } }),
  api: {
    mutation: 'addUser',
    description: 'Add a local user, or register a directory user before its first log-in.',
    payload: { field: 'user', type: 'User' },
  },
});
