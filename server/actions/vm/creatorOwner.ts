// oVirt's "make creator explicit owner": a user who made a VM (new, from a template, a clone) and
// could not otherwise manage its permissions gets UserVmManager on it, so she sees and uses what she
// made (a user portal's user creating VMs in a cluster where she only may create them).
import type { Tx } from '../../db.ts';
import type { Actor } from '../../auth/actor.ts';
import { can } from '../../auth/permissions.ts';
import type { ActionContext } from '../defineAction.ts';

export async function makeCreatorOwner(tx: Tx, actor: Actor, publish: ActionContext['publish'], vmId: string): Promise<void> {
  if (actor.internal || !actor.userId) return;
  if (await can(tx, actor, 'MANIPULATE_PERMISSIONS', { type: 'VM', id: vmId })) return;
  const role = await tx.role.findFirst({ where: { name: 'UserVmManager' }, select: { id: true } });
  if (!role) return;
  const perm = await tx.permission.create({ data: { roleId: role.id, userId: actor.userId, objectType: 'VM', objectId: vmId } });
  publish('permission:changed', { id: perm.id, kind: 'created' });
}
