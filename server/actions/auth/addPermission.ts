import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectRef } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM, SYSTEM_ID } from '../../auth/objects.ts';
import { grantedObjectName, principalName } from './permissionObjects.ts';

export const addPermission = defineAction({
  type: 'AddPermission',
  title: 'add Permission',
  actionGroup: 'MANIPULATE_PERMISSIONS',
  params: z
    .object({
      roleId: nodeId('Role', 'role'),
      userId: nodeId('User', 'user').optional(),
      groupId: nodeId('Group', 'group').optional(),
      object: objectRef.default(SYSTEM).describe('What it is granted on (and everything below); System when absent.'),
    })
    .refine((p) => !!p.userId !== !!p.groupId, 'give exactly one of user and group'),
  subject: (p) => (p.object.type === 'SYSTEM' ? SYSTEM : p.object),
  locks: (p) => [lockKey('Permissions', p.userId ?? p.groupId ?? '')],
  async validate({ tx }, p) {
    const objectId = p.object.type === 'SYSTEM' ? SYSTEM_ID : p.object.id;
    found(await tx.role.findUnique({ where: { id: p.roleId } }), 'Role', p.roleId);
    if (p.userId) found(await tx.user.findUnique({ where: { id: p.userId } }), 'User', p.userId);
    if (p.groupId) found(await tx.group.findUnique({ where: { id: p.groupId } }), 'Group', p.groupId);
    await grantedObjectName(tx, { type: p.object.type, id: objectId });
    const same = await tx.permission.count({
      where: { roleId: p.roleId, userId: p.userId ?? null, groupId: p.groupId ?? null, objectType: p.object.type, objectId },
    });
    return [refuseWhen(same > 0, 'PERMISSION_ALREADY_EXISTS', 'The same role is already granted to them on this object.')];
  },
  async execute({ tx, publish }, { object, ...p }) {
    const perm = await tx.permission.create({
      data: { ...p, objectType: object.type, objectId: object.type === 'SYSTEM' ? SYSTEM_ID : object.id },
      include: { role: true, user: true, group: true },
    });
    publish('permission:changed', { id: perm.id, kind: 'created' });
    return { ...perm, objectName: await grantedObjectName(tx, { type: perm.objectType, id: perm.objectId }) };
  },
  audit: (perm) => ({
    code: 'USER_ADD_PERMISSION',
    vars: { principal: principalName(perm), roleName: perm.role.name, objectType: perm.objectType, objectName: perm.objectName },
  }),
  api: {
    mutation: 'addPermission',
    description: 'Grant a role to a user or group on an object.',
    payload: { field: 'permission', type: 'Permission' },
  },
});
