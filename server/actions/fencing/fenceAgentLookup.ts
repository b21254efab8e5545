// The checks the fence agent actions share: whose host an agent is (permissions are on the host), and that it exists.
import type { Db, Tx } from '../../db.ts';
import type { ObjectRef } from '../../auth/objects.ts';
import { found } from '../../validators/reasons.ts';

/** The host of the agent, as the object its permission is checked on (NotFoundError when there is no such agent). */
export async function fenceAgentSubject(id: string, db: Db): Promise<ObjectRef> {
  const agent = found(await db.fenceAgent.findUnique({ where: { id }, select: { hostId: true } }), 'FenceAgent', id);
  return { type: 'HOST', id: agent.hostId };
}

/** Validates that the agent still exists (it may be gone since the permission check). */
export async function fenceAgentExists(tx: Tx, id: string): Promise<[]> {
  found(await tx.fenceAgent.findUnique({ where: { id }, select: { id: true } }), 'FenceAgent', id);
  return [];
}
