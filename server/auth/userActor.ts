// The actor a user's background work runs as (a webhook's subscription): the user with its local
// groups, as long as the account is active.
import type { Db } from '../db.ts';
import type { Actor } from './actor.ts';

export async function actorForUser(db: Db, userId: string): Promise<Actor | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { userName: true, domain: true, active: true, groups: { select: { groupId: true } } },
  });
  if (!user?.active) return null;
  return {
    userId,
    userName: `${user.userName}@${user.domain}`,
    groupIds: user.groups.map((g) => g.groupId),
    internal: false,
    sessionId: null,
  };
}
