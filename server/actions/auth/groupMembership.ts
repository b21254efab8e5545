// What adding or removing a member of a local group checks: both are local, and whether the user is in it.
// A directory group's members are the directory's business: they are read from it at log-in.
import { z } from 'zod';
import type { Tx } from '../../db.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';

export const loadGroup = async (tx: Tx, groupId: string) => found(await tx.group.findUnique({ where: { id: groupId } }), 'Group', groupId);

export const membership = z.object({
  groupId: nodeId('Group', 'group').describe('A local group.'),
  userId: nodeId('User', 'user').describe('A local user.'),
});

export async function localMembership(tx: Tx, p: z.infer<typeof membership>) {
  const group = await loadGroup(tx, p.groupId);
  const user = found(await tx.user.findUnique({ where: { id: p.userId } }), 'User', p.userId);
  const member = (await tx.groupMembership.count({ where: { groupId: group.id, userId: user.id } })) > 0;
  const local =
    refuseWhen(
      group.domain !== 'internal',
      'GROUP_IN_DIRECTORY',
      `The members of ${group.name}@${group.domain} are kept in its directory.`,
    ) ??
    refuseWhen(
      user.domain !== 'internal',
      'USER_IN_DIRECTORY',
      `${user.userName}@${user.domain} is a directory user; its groups come from its directory.`,
    );
  return { group, user, member, local };
}
