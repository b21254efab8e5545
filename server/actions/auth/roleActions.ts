import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { id, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { ACTION_GROUPS, ALL_ACTION_GROUPS, type ActionGroup } from '../../auth/actionGroups.ts';

const actionGroups = z.array(z.enum(ALL_ACTION_GROUPS as [ActionGroup, ...ActionGroup[]])).min(1, 'a role needs at least one action group');

export const addRole = defineAction({
  type: 'AddRole',
  title: 'add Role',
  actionGroup: 'MANIPULATE_ROLES',
  subject: () => SYSTEM,
  params: z.object({ name: objectName, description: z.string().max(1024).optional(), actionGroups }),
  locks: (p) => [lockKey('RoleName', p.name)],
  async validate({ tx }, p) {
    return [nameFree((await tx.role.count({ where: { name: p.name } })) > 0, 'Role', p.name)];
  },
  execute: ({ tx }, p) => tx.role.create({ data: {
    ...p, actionGroups: [...new Set(['LOGIN', ...p.actionGroups])],
    // A role with any administrative group opens the admin portal, as oVirt's admin roles do.
    adminRole: p.actionGroups.some((g) => ACTION_GROUPS[g] === 'admin'),
  } }),
  audit: (r) => ({ code: 'ROLE_ADDED', vars: { roleName: r.name } }),
});

export const removeRole = defineAction({
  type: 'RemoveRole',
  title: 'remove Role',
  actionGroup: 'MANIPULATE_ROLES',
  subject: () => SYSTEM,
  params: z.object({ roleId: id }),
  locks: (p) => [lockKey('Role', p.roleId)],
  async validate({ tx }, p) {
    const role = found(await tx.role.findUnique({ where: { id: p.roleId }, include: { _count: { select: { permissions: true } } } }), 'Role', p.roleId);
    return [
      refuseWhen(role.builtIn, 'ROLE_IS_BUILT_IN', `${role.name} is a built-in role.`),
      refuseWhen(role._count.permissions > 0, 'ROLE_IN_USE', `${role.name} is granted in ${role._count.permissions} permission(s); revoke them first.`),
    ];
  },
  execute: ({ tx }, p) => tx.role.delete({ where: { id: p.roleId } }),
  audit: (r) => ({ code: 'ROLE_REMOVED', vars: { roleName: r.name } }),
});
