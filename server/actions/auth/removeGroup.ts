import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { loadGroup } from './groupMembership.ts';

export const removeGroup = defineAction({
  type: 'RemoveGroup',
  title: 'remove Group',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({ groupId: nodeId('Group', 'id') }),
  locks: (p) => [lockKey('Group', p.groupId)],
  async validate({ tx }, p) {
    const g = await loadGroup(tx, p.groupId);
    const superUser = { role: { name: 'SuperUser' }, objectType: 'SYSTEM' as const };
    const held = await tx.permission.count({ where: { ...superUser, groupId: g.id } });
    const all = await tx.permission.count({ where: superUser });
    return [
      refuseWhen(
        held > 0 && held === all,
        'LAST_SUPER_USER',
        `Group ${g.name} holds the last SuperUser grant on System; keep at least one.`,
      ),
    ];
  },
  async execute({ tx, publish }, p) {
    // Its permissions and memberships go with it.
    const g = await tx.group.delete({ where: { id: p.groupId } });
    publish('permission:changed', { id: g.id, kind: 'removed' });
    return g;
  },
  audit: (g) => ({ code: 'GROUP_REMOVED', vars: { groupName: `${g.name}@${g.domain}` } }),
  api: {
    mutation: 'removeGroup',
    description: 'Remove a group, its memberships and its permissions.',
    payload: { field: 'removed', type: 'Removed' },
    result: (g) => ({ typename: 'Group', id: g.id }),
  },
});
