import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { id } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { ADMIN_USER } from '../../auth/initialAdmin.ts';

const userName = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.@-]+$/, "may contain only letters, digits, '_', '.', '@' and '-'")
  .refine((name) => name !== '.' && name !== '..', "may not be '.' or '..'");
const email = z.email('must be an e-mail address').max(256);
const password = z.string().min(8, 'must be at least 8 characters').max(1024);
const domain = z.string().regex(/^[A-Za-z0-9.-]+$/).default('internal');

export const addUser = defineAction({
  type: 'AddUser',
  title: 'add User',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({ userName, domain, password: password.optional(), displayName: z.string().max(256).optional(), email: email.optional() })
    .refine((p) => (p.domain === 'internal') === !!p.password, { message: 'local users need a password; directory users authenticate in their directory', path: ['password'] }),
  locks: (p) => [lockKey('UserName', `${p.domain}/${p.userName}`)],
  async validate({ tx }, p) {
    return [nameFree((await tx.user.count({ where: { domain: p.domain, userName: p.userName } })) > 0, 'User', p.userName, p.domain)];
  },
  async execute({ tx }, { password: pw, ...data }) {
    return tx.user.create({ data: { ...data, passwordHash: pw ? await hashPassword(pw) : null } });
  },
  audit: (u) => ({ code: 'AD_COMPUTED_USER_ADDED', vars: { targetName: `${u.userName}@${u.domain}` } }),
});

export const updateUser = defineAction({
  type: 'UpdateUser',
  title: 'update User',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({ userId: id, active: z.boolean().optional(), password: password.optional(), displayName: z.string().max(256).optional(), email: email.optional() }),
  locks: (p) => [lockKey('User', p.userId)],
  async validate({ tx }, p) {
    const u = found(await tx.user.findUnique({ where: { id: p.userId } }), 'User', p.userId);
    return [
      refuseWhen(!!p.password && u.domain !== 'internal', 'USER_PASSWORD_IN_DIRECTORY', `${u.userName}@${u.domain} changes its password in its directory.`),
      refuseWhen(p.active === false && u.domain === 'internal' && u.userName === ADMIN_USER, 'USER_IS_ADMIN', 'admin@internal cannot be disabled.'),
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
});

export const removeUser = defineAction({
  type: 'RemoveUser',
  title: 'remove User',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({ userId: id }),
  locks: (p) => [lockKey('User', p.userId)],
  async validate({ tx }, p) {
    const u = found(await tx.user.findUnique({ where: { id: p.userId } }), 'User', p.userId);
    return [refuseWhen(u.domain === 'internal' && u.userName === ADMIN_USER, 'USER_IS_ADMIN', 'admin@internal cannot be removed.')];
  },
  async execute({ tx, publish }, p) {
    const u = await tx.user.delete({ where: { id: p.userId } });
    publish('permission:changed', { id: u.id, kind: 'removed' });
    return u;
  },
  audit: (u) => ({ code: 'USER_REMOVED', vars: { targetName: `${u.userName}@${u.domain}` } }),
});

export const addGroup = defineAction({
  type: 'AddGroup',
  title: 'add Group',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({ name: z.string().min(1).max(256), domain }),
  locks: (p) => [lockKey('GroupName', `${p.domain}/${p.name}`)],
  async validate({ tx }, p) {
    return [nameFree((await tx.group.count({ where: { domain: p.domain, name: p.name } })) > 0, 'Group', p.name, p.domain)];
  },
  execute: ({ tx }, p) => tx.group.create({ data: p }),
  audit: (g) => ({ code: 'GROUP_ADDED', vars: { groupName: `${g.name}@${g.domain}` } }),
});
