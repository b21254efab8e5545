import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { addGroup, addUser, removeUser, updateUser } from '../server/actions/auth/userActions.ts';
import { addGroupMember, removeGroup, removeGroupMember } from '../server/actions/auth/groupActions.ts';
import { addPermission, removePermission } from '../server/actions/auth/permissionActions.ts';
import { addRole, removeRole } from '../server/actions/auth/roleActions.ts';
import { ALL_ACTION_GROUPS } from '../server/auth/actionGroups.ts';
import { ancestorsOf, SYSTEM_ID } from '../server/auth/objects.ts';
import { InputError } from '../server/errors.ts';
import type { ObjectType as ObjectTypeValue } from '../generated/prisma/enums.ts';

/** GraphQL type name of each object type, to read global ids of permission objects. */
const TYPENAME: Record<ObjectTypeValue, string> = {
  SYSTEM: '', DATA_CENTER: 'DataCenter', CLUSTER: 'Cluster', HOST: 'Host', VM: 'Vm', STORAGE_DOMAIN: 'StorageDomain',
  NETWORK: 'Network', TEMPLATE: 'Template', DISK: 'Disk',
};

/** The object a permission is on, from a global id (none for System). */
function permissionObject(objectId: string | null | undefined): { objectType: ObjectTypeValue; objectId: string } {
  if (!objectId) return { objectType: 'SYSTEM', objectId: SYSTEM_ID };
  let typename = '';
  try { typename = decodeGlobalID(objectId).typename; } catch { /* reported below */ }
  const type = (Object.entries(TYPENAME) as [ObjectTypeValue, string][]).find(([t, name]) => name === typename && t !== 'SYSTEM')?.[0];
  if (!type) throw new InputError([{ path: 'object', message: `"${objectId}" is not the id of an object permissions can be granted on` }]);
  return { objectType: type, objectId: localId(objectId, typename, 'object') };
}

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({ text: t.string({ required: false, description: 'Part of the user name, display name or e-mail (case-insensitive).' }) }),
});

function userWhere(filter: { text?: string | null } | null | undefined) {
  const text = filter?.text?.trim();
  if (!text) return {};
  const like = { contains: text, mode: 'insensitive' as const };
  return { OR: [{ userName: like }, { displayName: like }, { email: like }] };
}

builder.queryFields((t) => ({
  users: t.prismaConnection({
    type: 'User',
    cursor: 'id',
    authScopes: { admin: true },
    args: { filter: t.arg({ type: UserFilter, required: false }) },
    resolve: (query, _root, args, ctx) => ctx.db.user.findMany({ ...query, where: userWhere(args.filter), orderBy: [{ userName: 'asc' }, { id: 'asc' }] }),
    totalCount: (_c, args, ctx) => ctx.db.user.count({ where: userWhere(args.filter) }),
  }),
  groups: t.prismaField({
    type: ['Group'],
    authScopes: { admin: true },
    resolve: (query, _root, _args, ctx) => ctx.db.group.findMany({ ...query, orderBy: [{ domain: 'asc' }, { name: 'asc' }] }),
  }),
  roles: t.prismaField({
    type: ['Role'],
    resolve: (query, _root, _args, ctx) => ctx.db.role.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
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

const AddUserInput = builder.inputType('AddUserInput', {
  fields: (t) => ({
    userName: t.string({ required: true }),
    domain: t.string({ required: false, description: "'internal' (default) for a local account, or a directory profile." }),
    password: t.string({ required: false, description: 'Local accounts only; at least 8 characters.' }),
    displayName: t.string({ required: false }),
    email: t.string({ required: false }),
  }),
});
const UpdateUserInput = builder.inputType('UpdateUserInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    active: t.boolean({ required: false, description: 'false disables the account and ends its sessions.' }),
    password: t.string({ required: false }),
    displayName: t.string({ required: false }),
    email: t.string({ required: false }),
  }),
});
const IdInput = builder.inputType('RemoveUserInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const AddGroupInput = builder.inputType('AddGroupInput', {
  fields: (t) => ({ name: t.string({ required: true }), domain: t.string({ required: false }) }),
});
const AddPermissionInput = builder.inputType('AddPermissionInput', {
  fields: (t) => ({
    role: t.id({ required: true }),
    user: t.id({ required: false }),
    group: t.id({ required: false }),
    object: t.id({ required: false, description: 'What it is granted on (and everything below); System when absent.' }),
  }),
});
const RemovePermissionInput = builder.inputType('RemovePermissionInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addUser', {
  action: addUser, description: 'Add a local user, or register a directory user before its first log-in.', input: AddUserInput, type: 'User', dataField: 'user',
  params: (i) => stripNulls(i),
});
actionField('updateUser', {
  action: updateUser, description: 'Enable or disable a user, or set a local password.', input: UpdateUserInput, type: 'User', dataField: 'user',
  params: ({ id, ...rest }) => ({ ...stripNulls(rest), userId: localId(String(id), 'User', 'id') }),
});
actionField('removeUser', {
  action: removeUser, description: 'Remove a user and its permissions.', input: IdInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ userId: localId(String(id), 'User', 'id') }),
  resolve: (u) => removed('User', u.id),
});
actionField('addGroup', {
  action: addGroup, description: 'Add a local group, or a directory group to grant permissions to.', input: AddGroupInput, type: 'Group', dataField: 'group',
  params: (i) => stripNulls(i),
});
actionField('removeGroup', {
  action: removeGroup, description: 'Remove a group, its memberships and its permissions.',
  input: builder.inputType('RemoveGroupInput', { fields: (t) => ({ id: t.id({ required: true }) }) }), type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ groupId: localId(String(id), 'Group', 'id') }),
  resolve: (g) => removed('Group', g.id),
});
const MemberInput = (name: string) => builder.inputType(name, {
  fields: (t) => ({ group: t.id({ required: true, description: 'A local group.' }), user: t.id({ required: true, description: 'A local user.' }) }),
});
const memberParams = (i: { group: string | number; user: string | number }) => ({ groupId: localId(String(i.group), 'Group', 'group'), userId: localId(String(i.user), 'User', 'user') });
actionField('addGroupMember', {
  action: addGroupMember, description: 'Add a local user to a local group.', input: MemberInput('AddGroupMemberInput'), type: 'Group', dataField: 'group',
  params: memberParams, resolve: (m) => m.group,
});
actionField('removeGroupMember', {
  action: removeGroupMember, description: 'Take a local user out of a local group.', input: MemberInput('RemoveGroupMemberInput'), type: 'Group', dataField: 'group',
  params: memberParams, resolve: (m) => m.group,
});
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

const ActionGroupEnum = builder.enumType('ActionGroup', { values: ALL_ACTION_GROUPS });
const AddRoleInput = builder.inputType('AddRoleInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    actionGroups: t.field({ type: [ActionGroupEnum], required: true }),
  }),
});
const RemoveRoleInput = builder.inputType('RemoveRoleInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addRole', {
  action: addRole, description: 'Define a custom role from action groups.', input: AddRoleInput, type: 'Role', dataField: 'role',
  params: (i) => stripNulls(i),
});
actionField('removeRole', {
  action: removeRole, description: 'Remove a custom role no permission uses.', input: RemoveRoleInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ roleId: localId(String(id), 'Role', 'id') }),
  resolve: (r) => removed('Role', r.id),
});
