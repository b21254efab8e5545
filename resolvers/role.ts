import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { addRole, removeRole } from '../server/actions/auth/roleActions.ts';
import { ALL_ACTION_GROUPS } from '../server/auth/actionGroups.ts';

builder.queryFields((t) => ({
  roles: t.prismaField({
    type: ['Role'],
    resolve: (query, _root, _args, ctx) => ctx.db.role.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
}));

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
