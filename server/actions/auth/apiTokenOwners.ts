// Whose API tokens an actor may manage: their own, or (administrators) anyone's; never through a token.
import type { Tx } from '../../db.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { can } from '../../auth/permissions.ts';
import type { Actor } from '../../auth/actor.ts';
import { ForbiddenError } from '../../errors.ts';

/** The actor as whom the token's user acts, without any token's limits. */
export async function actorOf(tx: Tx, actor: Actor, userId: string): Promise<Actor> {
  if (userId === actor.userId) return { ...actor, token: undefined };
  const groups = await tx.groupMembership.findMany({ where: { userId }, select: { groupId: true } });
  return { userId, userName: '', groupIds: groups.map((g) => g.groupId), internal: false, sessionId: null };
}

/** Refuses an administrator's action on another user's tokens to anyone else. */
export async function mayManageTokensOf(tx: Tx, actor: Actor, userId: string, title: string) {
  if (userId !== actor.userId && !(await can(tx, actor, 'MANIPULATE_USERS', SYSTEM))) throw new ForbiddenError(title);
}
