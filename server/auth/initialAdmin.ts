import { randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import { hashPassword } from './passwords.ts';
import { ensureBuiltInRoles } from './roles.ts';
import { SYSTEM_ID } from './objects.ts';

export const ADMIN_USER = 'admin';

/**
 * Makes sure the built-in roles and the local administrator (admin@internal, SuperUser on System)
 * exist. On the first start the password is VIREO_ADMIN_PASSWORD, or a generated one that is
 * returned so the caller can show it that one time; it is never stored or shown again.
 */
export async function ensureInitialAdmin(
  db: Db,
  password = process.env.VIREO_ADMIN_PASSWORD,
): Promise<{ generatedPassword: string | null }> {
  await ensureBuiltInRoles(db);
  if (await db.user.findUnique({ where: { domain_userName: { domain: 'internal', userName: ADMIN_USER } } }))
    return { generatedPassword: null };
  const chosen = password || randomBytes(12).toString('base64url');
  const superUser = await db.role.findUniqueOrThrow({ where: { name: 'SuperUser' } });
  await db.user.create({
    data: {
      userName: ADMIN_USER,
      domain: 'internal',
      displayName: 'Administrator',
      passwordHash: await hashPassword(chosen),
      permissions: { create: { roleId: superUser.id, objectType: 'SYSTEM', objectId: SYSTEM_ID } },
    },
  });
  return { generatedPassword: password ? null : chosen };
}
