import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { addGroup } from '../server/actions/auth/userActions.ts';
import { addGroupMember, removeGroup, removeGroupMember } from '../server/actions/auth/groupActions.ts';

builder.queryFields((t) => ({
  groups: t.prismaField({
    type: ['Group'],
    authScopes: { admin: true },
    resolve: (query, _root, _args, ctx) => ctx.db.group.findMany({ ...query, orderBy: [{ domain: 'asc' }, { name: 'asc' }] }),
  }),
}));

const AddGroupInput = builder.inputType('AddGroupInput', {
  fields: (t) => ({ name: t.string({ required: true }), domain: t.string({ required: false }) }),
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
