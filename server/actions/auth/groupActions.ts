// Groups beyond adding one: removing it (with its permissions) and the members of local groups.
// A directory group's members are the directory's business: they are read from it at log-in.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { id } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { SYSTEM } from '../../auth/objects.ts';

const loadGroup = async (tx: Tx, groupId: string) => found(await tx.group.findUnique({ where: { id: groupId } }), 'Group', groupId);

export const removeGroup = defineAction({
  type: 'RemoveGroup',
  title: 'remove Group',
  actionGroup: 'MANIPULATE_USERS',
  subject: () => SYSTEM,
  params: z.object({ groupId: id }),
  locks: (p) => [lockKey('Group', p.groupId)],
  async validate({ tx }, p) {
    const g = await loadGroup(tx, p.groupId);
    const superUser = { role: { name: 'SuperUser' }, objectType: 'SYSTEM' as const };
    const held = await tx.permission.count({ where: { ...superUser, groupId: g.id } });
    const all = await tx.permission.count({ where: superUser });
    return [refuseWhen(held > 0 && held === all, 'LAST_SUPER_USER', `Group ${g.name} holds the last SuperUser grant on System; keep at least one.`)];
  },
  async execute({ tx, publish }, p) {
    // Its permissions and memberships go with it.
    const g = await tx.group.delete({ where: { id: p.groupId } });
    publish('permission:changed', { id: g.id, kind: 'removed' });
    return g;
  },
  audit: (g) => ({ code: 'GROUP_REMOVED', vars: { groupName: `${g.name}@${g.domain}` } }),
});

const membership = z.object({ groupId: id, userId: id });

async function localMembership(tx: Tx, p: z.infer<typeof membership>) {
  const group = await loadGroup(tx, p.groupId);
  const user = found(await tx.user.findUnique({ where: { id: p.userId } }), 'User', p.userId);
  const member = (await tx.groupMembership.count({ where: { groupId: group.id, userId: user.id } })) > 0;
  const local = refuseWhen(group.domain !== 'internal', 'GROUP_IN_DIRECTORY', `The members of ${group.name}@${group.domain} are kept in its directory.`)
    ?? refuseWhen(user.domain !== 'internal', 'USER_IN_DIRECTORY', `${user.userName}@${user.domain} is a directory user; its groups come from its directory.`);
  return { group, user, member, local };
}

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
  audit: ({ group, user }) => ({ code: 'USER_ADDED_TO_GROUP', vars: { targetName: `${user.userName}@${user.domain}`, groupName: group.name } }),
});

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
  audit: ({ group, user }) => ({ code: 'USER_REMOVED_FROM_GROUP', vars: { targetName: `${user.userName}@${user.domain}`, groupName: group.name } }),
});
