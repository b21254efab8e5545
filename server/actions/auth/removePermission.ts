import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { grantedObjectName, principalName } from './permissionObjects.ts';

export const removePermission = defineAction({
  type: 'RemovePermission',
  title: 'remove Permission',
  actionGroup: 'MANIPULATE_PERMISSIONS',
  params: z.object({ permissionId: nodeId('Permission', 'id') }),
  // Checked on the object the permission is on (System when it does not exist: only admins learn that).
  subject: async (p, db) => {
    const perm = await db.permission.findUnique({ where: { id: p.permissionId }, select: { objectType: true, objectId: true } });
    return perm ? { type: perm.objectType, id: perm.objectId } : SYSTEM;
  },
  locks: (p) => [lockKey('Permission', p.permissionId)],
  async validate({ tx }, p) {
    const perm = found(
      await tx.permission.findUnique({ where: { id: p.permissionId }, include: { role: true, user: true } }),
      'Permission',
      p.permissionId,
    );
    const lastSuperUser =
      perm.role.name === 'SuperUser' &&
      perm.objectType === 'SYSTEM' &&
      (await tx.permission.count({ where: { role: { name: 'SuperUser' }, objectType: 'SYSTEM' } })) === 1;
    return [refuseWhen(lastSuperUser, 'LAST_SUPER_USER', 'This is the last SuperUser grant on System; keep at least one.')];
  },
  async execute({ tx, publish }, p) {
    const perm = await tx.permission.delete({ where: { id: p.permissionId }, include: { role: true, user: true, group: true } });
    publish('permission:changed', { id: perm.id, kind: 'removed' });
    return { ...perm, objectName: await grantedObjectName(tx, { type: perm.objectType, id: perm.objectId }) };
  },
  audit: (perm) => ({
    code: 'USER_REMOVE_PERMISSION',
    vars: { principal: principalName(perm), roleName: perm.role.name, objectType: perm.objectType, objectName: perm.objectName },
  }),
  api: {
    mutation: 'removePermission',
    description: 'Revoke a permission.',
    payload: { field: 'removed', type: 'Removed' },
    result: (p) => ({ typename: 'Permission', id: p.id }),
  },
});
