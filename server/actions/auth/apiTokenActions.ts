// API tokens for tools: made by a user for themselves or by an administrator for another user
// (a service account), never by another token; revoked by their user or an administrator.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { id } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { objectName, SYSTEM } from '../../auth/objects.ts';
import { can } from '../../auth/permissions.ts';
import { isActionGroup } from '../../auth/actionGroups.ts';
import type { Actor } from '../../auth/actor.ts';
import { newApiToken, normalizeOperation } from '../../auth/apiTokens.ts';
import { ForbiddenError } from '../../errors.ts';
import { OBJECT_TYPES } from './permissionActions.ts';

const operation = z.string().min(1).max(20_000).transform((doc, ctx) => {
  try { return normalizeOperation(doc); } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not a GraphQL document: ${(e as Error).message}` });
    return z.NEVER;
  }
});

/** The actor as whom the token's user acts, without any token's limits. */
async function actorOf(tx: Tx, actor: Actor, userId: string): Promise<Actor> {
  if (userId === actor.userId) return { ...actor, token: undefined };
  const groups = await tx.groupMembership.findMany({ where: { userId }, select: { groupId: true } });
  return { userId, userName: '', groupIds: groups.map((g) => g.groupId), internal: false, sessionId: null };
}

/** Refuses an administrator's action on another user's tokens to anyone else. */
async function mayManageTokensOf(tx: Tx, actor: Actor, userId: string, title: string) {
  if (userId !== actor.userId && !(await can(tx, actor, 'MANIPULATE_USERS', SYSTEM))) throw new ForbiddenError(title);
}

export const createApiToken = defineAction({
  type: 'CreateApiToken',
  title: 'create API token',
  actionGroup: 'LOGIN',
  subject: () => SYSTEM,
  params: z.object({
    name: z.string().min(1).max(128),
    userId: id.optional(),
    expiresAt: z.date().optional(),
    readOnly: z.boolean().default(false),
    roleId: id.optional(),
    object: z.object({ type: z.enum(OBJECT_TYPES), id }).optional(),
    operations: z.array(operation).max(100).default([]),
  }).refine((p) => !!p.roleId === !!p.object, { message: 'give a role and an object together', path: ['role'] }),
  locks: (p) => [lockKey('ApiTokenName', `${p.userId ?? ''}/${p.name}`)],
  async validate({ tx, actor }, p) {
    if (actor.token) return [{ code: 'API_TOKEN_CANNOT_CREATE_TOKENS', message: 'An API token cannot create API tokens; log in as the user.' }];
    const userId = p.userId ?? actor.userId ?? '';
    await mayManageTokensOf(tx, actor, userId, 'create API token');
    const user = found(await tx.user.findUnique({ where: { id: userId } }), 'User', userId);
    const reasons = [
      refuseWhen(!user.active, 'USER_DISABLED', `${user.userName}@${user.domain} is disabled.`),
      nameFree((await tx.apiToken.count({ where: { userId, name: p.name } })) > 0, 'API token', p.name, `the tokens of ${user.userName}@${user.domain}`),
      refuseWhen(!!p.expiresAt && p.expiresAt.getTime() <= Date.now(), 'API_TOKEN_EXPIRY_IN_PAST', 'The expiry must be in the future.'),
    ];
    if (p.roleId && p.object) {
      const role = found(await tx.role.findUnique({ where: { id: p.roleId } }), 'Role', p.roleId);
      if ((await objectName(tx, p.object)) === null) found(null, p.object.type, p.object.id);
      const as = await actorOf(tx, actor, userId);
      const missing = [];
      for (const g of role.actionGroups) if (isActionGroup(g) && !(await can(tx, as, g, p.object))) missing.push(g);
      reasons.push(refuseWhen(missing.length > 0, 'API_TOKEN_EXCEEDS_PERMISSIONS',
        `${user.userName}@${user.domain} does not hold ${missing.join(', ')} of role ${role.name} on that object; a token can only narrow its user's permissions.`));
    }
    return reasons;
  },
  async execute({ tx, actor }, p) {
    const { token, tokenHash } = newApiToken();
    const row = await tx.apiToken.create({
      data: {
        name: p.name, tokenHash, userId: p.userId ?? actor.userId!, createdById: actor.userId, expiresAt: p.expiresAt ?? null,
        readOnly: p.readOnly, roleId: p.roleId ?? null, objectType: p.object?.type ?? null, objectId: p.object?.id ?? null, operations: p.operations,
      },
      include: { user: { select: { userName: true, domain: true } } },
    });
    return { token, apiToken: row };
  },
  audit: ({ apiToken: t }) => ({ code: 'API_TOKEN_CREATED', vars: { tokenName: t.name, targetName: `${t.user.userName}@${t.user.domain}` } }),
});

export const revokeApiToken = defineAction({
  type: 'RevokeApiToken',
  title: 'revoke API token',
  actionGroup: 'LOGIN',
  subject: () => SYSTEM,
  params: z.object({ id }),
  locks: (p) => [lockKey('ApiToken', p.id)],
  async validate({ tx, actor }, p) {
    const row = found(await tx.apiToken.findUnique({ where: { id: p.id } }), 'ApiToken', p.id);
    await mayManageTokensOf(tx, actor, row.userId, 'revoke API token');
    return [];
  },
  async execute({ tx, publish }, p) {
    const row = await tx.apiToken.delete({ where: { id: p.id }, include: { user: { select: { userName: true, domain: true } } } });
    publish('permission:changed', { id: row.id, kind: 'removed' }); // open subscriptions stop at once
    return row;
  },
  audit: (t) => ({ code: 'API_TOKEN_REVOKED', vars: { tokenName: t.name, targetName: `${t.user.userName}@${t.user.domain}` } }),
});
