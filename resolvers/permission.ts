import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed } from '../schema/inputs.ts';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { addPermission, removePermission } from '../server/actions/auth/permissionActions.ts';
import { ancestorsOf, SYSTEM_ID } from '../server/auth/objects.ts';
import { InputError } from '../server/errors.ts';
import type { ObjectType as ObjectTypeValue } from '../generated/prisma/enums.ts';

/** GraphQL type name of each object type, to read global ids of permission objects. */
const TYPENAME: Record<ObjectTypeValue, string> = {
  SYSTEM: '', DATA_CENTER: 'DataCenter', CLUSTER: 'Cluster', HOST: 'Host', VM: 'Vm', STORAGE_DOMAIN: 'StorageDomain',
  NETWORK: 'Network', TEMPLATE: 'Template', DISK: 'Disk',
};

/** The object a permission is on, from a global id (none for System). */
export function permissionObject(objectId: string | null | undefined): { objectType: ObjectTypeValue; objectId: string } {
  if (!objectId) return { objectType: 'SYSTEM', objectId: SYSTEM_ID };
  let typename = '';
  try { typename = decodeGlobalID(objectId).typename; } catch { /* reported below */ }
  const type = (Object.entries(TYPENAME) as [ObjectTypeValue, string][]).find(([t, name]) => name === typename && t !== 'SYSTEM')?.[0];
  if (!type) throw new InputError([{ path: 'object', message: `"${objectId}" is not the id of an object permissions can be granted on` }]);
  return { objectType: type, objectId: localId(objectId, typename, 'object') };
}

builder.queryFields((t) => ({
  permissions: t.prismaField({
    type: ['Permission'],
    authScopes: { admin: true },
    description: 'Permissions on an object (System when no object is given); with includeInherited also those on the objects above it, which apply to it too (nearest first).',
    args: { object: t.arg.id({ required: false }), includeInherited: t.arg.boolean({ required: false }) },
    resolve: async (query, _root, args, ctx) => {
      const o = permissionObject(args.object as string | null);
      const on = args.includeInherited ? await ancestorsOf(ctx.db, { type: o.objectType, id: o.objectId }) : [{ type: o.objectType, id: o.objectId }];
      const rows = await ctx.db.permission.findMany({ ...query, where: { OR: on.map((r) => ({ objectType: r.type, objectId: r.id })) }, orderBy: { createdAt: 'asc' } });
      const rank = (p: { objectType: string; objectId: string }) => on.findIndex((r) => r.type === p.objectType && r.id === p.objectId);
      return rows.sort((a, b) => rank(a) - rank(b));
    },
  }),
}));

const AddPermissionInput = builder.inputType('AddPermissionInput', {
  fields: (t) => ({
    role: t.id({ required: true }),
    user: t.id({ required: false }),
    group: t.id({ required: false }),
    object: t.id({ required: false, description: 'What it is granted on (and everything below); System when absent.' }),
  }),
});
const RemovePermissionInput = builder.inputType('RemovePermissionInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addPermission', {
  action: addPermission, description: 'Grant a role to a user or group on an object.', input: AddPermissionInput, type: 'Permission', dataField: 'permission',
  params: (i) => ({
    roleId: localId(String(i.role), 'Role', 'role'),
    userId: optionalLocalId(i.user as string, 'User', 'user'),
    groupId: optionalLocalId(i.group as string, 'Group', 'group'),
    ...permissionObject(i.object as string | null),
  }),
});
actionField('removePermission', {
  action: removePermission, description: 'Revoke a permission.', input: RemovePermissionInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ permissionId: localId(String(id), 'Permission', 'id') }),
  resolve: (p) => removed('Permission', p.id),
});
