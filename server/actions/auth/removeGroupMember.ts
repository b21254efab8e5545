import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { localMembership, membership } from './groupMembership.ts';

export const removeGroupMember = defineAction({
  type: 'RemoveGroupMember',
  title: 'remove a member from Group',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: membership,
  locks: (p) => [lockKey('Group', p.groupId)],
  async validate({ tx }, p) {
    const m = await localMembership(tx, p);
    return [m.local, refuseWhen(!m.member, 'USER_NOT_IN_GROUP', `${m.user.userName} is not in ${m.group.name}.`)];
  },
  async execute({ tx, publish }, p) {
    await tx.groupMembership.delete({ where: { userId_groupId: { userId: p.userId, groupId: p.groupId } } });
    publish('permission:changed', { id: p.userId, kind: 'updated' });
    return localMembership(tx, p);
  },
  audit: ({ group, user }) => ({
    code: 'USER_REMOVED_FROM_GROUP',
    vars: { targetName: `${user.userName}@${user.domain}`, groupName: group.name },
  }),
  api: {
    mutation: 'removeGroupMember',
    description: 'Take a local user out of a local group.',
    payload: { field: 'group', type: 'Group' },
    result: (m) => m.group,
  },
});
