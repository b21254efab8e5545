import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { contains } from '../schema/sorting.ts';
import { addUser, removeUser, updateUser } from '../server/actions/auth/userActions.ts';

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({ text: t.string({ required: false, description: 'Part of the user name, display name or e-mail (case-insensitive).' }) }),
});

function userWhere(filter: { text?: string | null } | null | undefined) {
  const text = filter?.text?.trim();
  if (!text) return {};
  const like = contains(text);
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
