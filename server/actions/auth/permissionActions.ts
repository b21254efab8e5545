import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { id } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM, SYSTEM_ID, type ObjectRef } from '../../auth/objects.ts';
import { NotFoundError } from '../../errors.ts';

export const OBJECT_TYPES = ['SYSTEM', 'DATA_CENTER', 'CLUSTER', 'HOST', 'VM', 'STORAGE_DOMAIN', 'NETWORK', 'TEMPLATE', 'DISK'] as const;

/** The object's name, or NotFoundError: a permission is only granted on something that exists. */
async function objectName(tx: Tx, o: ObjectRef): Promise<string> {
  const byId = { where: { id: o.id }, select: { name: true } } as const;
  const row = o.type === 'SYSTEM' ? { name: 'System' }
    : o.type === 'DATA_CENTER' ? await tx.dataCenter.findUnique(byId)
    : o.type === 'CLUSTER' ? await tx.cluster.findUnique(byId)
    : o.type === 'HOST' ? await tx.host.findUnique(byId)
    : o.type === 'VM' ? await tx.vm.findUnique(byId)
    : o.type === 'STORAGE_DOMAIN' ? await tx.storageDomain.findUnique(byId)
    : o.type === 'NETWORK' ? await tx.network.findUnique(byId)
    : o.type === 'TEMPLATE' ? await tx.template.findUnique(byId)
    : await tx.disk.findUnique({ where: { id: o.id }, select: { alias: true } }).then((d) => d && { name: d.alias });
  if (!row) throw new NotFoundError(o.type, o.id);
  return row.name;
}

const principalName = (p: { user?: { userName: string; domain: string } | null; group?: { name: string; domain: string } | null }) =>
  p.user ? `${p.user.userName}@${p.user.domain}` : `${p.group!.name}@${p.group!.domain}`;

export const addPermission = defineAction({
  type: 'AddPermission',
  title: 'add Permission',
  actionGroup: 'MANIPULATE_PERMISSIONS',
  params: z.object({
    roleId: id,
    userId: id.optional(),
    groupId: id.optional(),
    objectType: z.enum(OBJECT_TYPES),
    objectId: id,
  }).refine((p) => !!p.userId !== !!p.groupId, 'give exactly one of user and group'),
  subject: (p) => (p.objectType === 'SYSTEM' ? SYSTEM : { type: p.objectType, id: p.objectId }),
  locks: (p) => [lockKey('Permissions', p.userId ?? p.groupId ?? '')],
  async validate({ tx }, p) {
    found(await tx.role.findUnique({ where: { id: p.roleId } }), 'Role', p.roleId);
    if (p.userId) found(await tx.user.findUnique({ where: { id: p.userId } }), 'User', p.userId);
    if (p.groupId) found(await tx.group.findUnique({ where: { id: p.groupId } }), 'Group', p.groupId);
    await objectName(tx, { type: p.objectType, id: p.objectType === 'SYSTEM' ? SYSTEM_ID : p.objectId });
    const same = await tx.permission.count({ where: { roleId: p.roleId, userId: p.userId ?? null, groupId: p.groupId ?? null, objectType: p.objectType, objectId: p.objectId } });
    return [refuseWhen(same > 0, 'PERMISSION_ALREADY_EXISTS', 'The same role is already granted to them on this object.')];
  },
  async execute({ tx, publish }, p) {
    const perm = await tx.permission.create({ data: { ...p, objectId: p.objectType === 'SYSTEM' ? SYSTEM_ID : p.objectId },
      include: { role: true, user: true, group: true } });
    publish('permission:changed', { id: perm.id, kind: 'created' });
    return { ...perm, objectName: await objectName(tx, { type: perm.objectType, id: perm.objectId }) };
  },
  audit: (perm) => ({ code: 'USER_ADD_PERMISSION', vars: { principal: principalName(perm), roleName: perm.role.name, objectType: perm.objectType, objectName: perm.objectName } }),
});

export const removePermission = defineAction({
  type: 'RemovePermission',
  title: 'remove Permission',
  actionGroup: 'MANIPULATE_PERMISSIONS',
  params: z.object({ permissionId: id }),
  // Checked on the object the permission is on (System when it does not exist: only admins learn that).
  subject: async (p, db) => {
    const perm = await db.permission.findUnique({ where: { id: p.permissionId }, select: { objectType: true, objectId: true } });
    return perm ? { type: perm.objectType, id: perm.objectId } : SYSTEM;
  },
  locks: (p) => [lockKey('Permission', p.permissionId)],
  async validate({ tx }, p) {
    const perm = found(await tx.permission.findUnique({ where: { id: p.permissionId }, include: { role: true, user: true } }), 'Permission', p.permissionId);
    const lastSuperUser = perm.role.name === 'SuperUser' && perm.objectType === 'SYSTEM'
      && (await tx.permission.count({ where: { role: { name: 'SuperUser' }, objectType: 'SYSTEM' } })) === 1;
    return [refuseWhen(lastSuperUser, 'LAST_SUPER_USER', 'This is the last SuperUser grant on System; keep at least one.')];
  },
  async execute({ tx, publish }, p) {
    const perm = await tx.permission.delete({ where: { id: p.permissionId }, include: { role: true, user: true, group: true } });
    publish('permission:changed', { id: perm.id, kind: 'removed' });
    return { ...perm, objectName: await objectName(tx, { type: perm.objectType, id: perm.objectId }) };
  },
  audit: (perm) => ({ code: 'USER_REMOVE_PERMISSION', vars: { principal: principalName(perm), roleName: perm.role.name, objectType: perm.objectType, objectName: perm.objectName } }),
});
