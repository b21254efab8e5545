import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';

export const removeRole = defineAction({
  type: 'RemoveRole',
  title: 'remove Role',
  actionGroup: 'MANIPULATE_ROLES',
  subject: () => SYSTEM,
  params: z.object({ roleId: nodeId('Role', 'id') }),
  locks: (p) => [lockKey('Role', p.roleId)],
  async validate({ tx }, p) {
    const role = found(
      await tx.role.findUnique({ where: { id: p.roleId }, include: { _count: { select: { permissions: true } } } }),
      'Role',
      p.roleId,
    );
    return [
      refuseWhen(role.builtIn, 'ROLE_IS_BUILT_IN', `${role.name} is a built-in role.`),
      refuseWhen(
        role._count.permissions > 0,
        'ROLE_IN_USE',
        `${role.name} is granted in ${role._count.permissions} permission(s); revoke them first.`,
      ),
    ];
  },
  execute: ({ tx }, p) => tx.role.delete({ where: { id: p.roleId } }),
  audit: (r) => ({ code: 'ROLE_REMOVED', vars: { roleName: r.name } }),
  api: {
    mutation: 'removeRole',
    description: 'Remove a custom role no permission uses.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'Role', id: r.id }),
  },
});
