import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { localMembership, membership } from './groupMembership.ts';

export const addGroupMember = defineAction({
  type: 'AddGroupMember',
  title: 'add a member to Group',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: membership,
  locks: (p) => [lockKey('Group', p.groupId)],
  async validate({ tx }, p) {
    const m = await localMembership(tx, p);
    return [m.local, refuseWhen(m.member, 'USER_ALREADY_IN_GROUP', `${m.user.userName} is already in ${m.group.name}.`)];
  },
  async execute({ tx, publish }, p) {
    await tx.groupMembership.create({ data: p });
    publish('permission:changed', { id: p.userId, kind: 'updated' });
    return localMembership(tx, p);
  },
  audit: ({ group, user }) => ({
    code: 'USER_ADDED_TO_GROUP',
    vars: { targetName: `${user.userName}@${user.domain}`, groupName: group.name },
  }),
  api: {
    mutation: 'addGroupMember',
    description: 'Add a local user to a local group.',
    payload: { field: 'group', type: 'Group' },
    result: (m) => m.group,
  },
});
