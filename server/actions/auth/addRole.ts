import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { objectName } from '../../validators/params.ts';
import { nameFree } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { ACTION_GROUPS, ALL_ACTION_GROUPS, type ActionGroup } from '../../auth/actionGroups.ts';

const actionGroup = z.enum(ALL_ACTION_GROUPS as [ActionGroup, ...ActionGroup[]]).meta({ graphql: 'ActionGroup' });

export const addRole = defineAction({
  type: 'AddRole',
  title: 'add Role',
  actionGroup: 'MANIPULATE_ROLES',
  subject: () => SYSTEM,
  params: z.object({
    name: objectName,
    description: z.string().max(1024).optional(),
    actionGroups: z.array(actionGroup).min(1, 'a role needs at least one action group'),
  }),
  locks: (p) => [lockKey('RoleName', p.name)],
  async validate({ tx }, p) {
    return [nameFree((await tx.role.count({ where: { name: p.name } })) > 0, 'Role', p.name)];
  },
  execute: ({ tx }, p) =>
    tx.role.create({
      data: {
        ...p,
        actionGroups: [...new Set(['LOGIN', ...p.actionGroups])],
        // A role with any administrative group opens the admin portal, as oVirt's admin roles do.
        adminRole: p.actionGroups.some((g) => ACTION_GROUPS[g] === 'admin'),
      },
    }),
  audit: (r) => ({ code: 'ROLE_ADDED', vars: { roleName: r.name } }),
  api: {
    mutation: 'addRole',
    description: 'Define a custom role from action groups.',
    payload: { field: 'role', type: 'Role' },
  },
});
