// API tokens for tools: made by a user for themselves or by an administrator for another user
// (a service account), never by another token.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { graphqlDocument, nodeId, objectRef } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { objectName, SYSTEM } from '../../auth/objects.ts';
import { can } from '../../auth/permissions.ts';
import { isActionGroup } from '../../auth/actionGroups.ts';
import { newApiToken } from '../../auth/apiTokens.ts';
import { actorOf, mayManageTokensOf } from './apiTokenOwners.ts';

export const createApiToken = defineAction({
  type: 'CreateApiToken',
  title: 'create API token',
  actionGroup: 'LOGIN',
  subject: () => SYSTEM,
  params: z
    .object({
      name: z.string().min(1).max(128).describe('Unique among the user\'s tokens, e.g. "dashboard".'),
      userId: nodeId('User', 'user').optional().describe('Administrators: make it for this user (a service account); default: yourself.'),
      expiresAt: z.date().optional().describe('Default: it does not expire.'),
      readOnly: z.boolean().default(false).describe('It reads what the user may see and runs no action.'),
      roleId: nodeId('Role', 'role').optional().describe("With object: only this role's action groups, which the user must hold there."),
      object: objectRef.optional().describe('With role: only this object and what is below it.'),
      operations: z
        .array(graphqlDocument)
        .max(100)
        .default([])
        .describe('Saved operations: the only GraphQL documents it may run (whitespace and comments do not matter).'),
    })
    .refine((p) => !!p.roleId === !!p.object, { message: 'give a role and an object together', path: ['role'] }),
  locks: (p) => [lockKey('ApiTokenName', `${p.userId ?? ''}/${p.name}`)],
  async validate({ tx, actor }, p) {
    if (actor.token)
      return [{ code: 'API_TOKEN_CANNOT_CREATE_TOKENS', message: 'An API token cannot create API tokens; log in as the user.' }];
    const userId = p.userId ?? actor.userId ?? '';
    await mayManageTokensOf(tx, actor, userId, 'create API token');
    const user = found(await tx.user.findUnique({ where: { id: userId } }), 'User', userId);
    const reasons = [
      refuseWhen(!user.active, 'USER_DISABLED', `${user.userName}@${user.domain} is disabled.`),
      nameFree(
        (await tx.apiToken.count({ where: { userId, name: p.name } })) > 0,
        'API token',
        p.name,
        `the tokens of ${user.userName}@${user.domain}`,
      ),
      refuseWhen(!!p.expiresAt && p.expiresAt.getTime() <= Date.now(), 'API_TOKEN_EXPIRY_IN_PAST', 'The expiry must be in the future.'),
    ];
    if (p.roleId && p.object) {
      const role = found(await tx.role.findUnique({ where: { id: p.roleId } }), 'Role', p.roleId);
      if ((await objectName(tx, p.object)) === null) found(null, p.object.type, p.object.id);
      const as = await actorOf(tx, actor, userId);
      const missing = [];
      for (const g of role.actionGroups) if (isActionGroup(g) && !(await can(tx, as, g, p.object))) missing.push(g);
      reasons.push(
        refuseWhen(
          missing.length > 0,
          'API_TOKEN_EXCEEDS_PERMISSIONS',
          `${user.userName}@${user.domain} does not hold ${missing.join(', ')} of role ${role.name} on that object; a token can only narrow its user's permissions.`,
        ),
      );
    }
    return reasons;
  },
  async execute({ tx, actor }, p) {
    const { token, tokenHash } = newApiToken();
    const row = await tx.apiToken.create({
      data: {
        name: p.name,
        tokenHash,
        userId: p.userId ?? actor.userId!,
        createdById: actor.userId,
        expiresAt: p.expiresAt ?? null,
        readOnly: p.readOnly,
        roleId: p.roleId ?? null,
        objectType: p.object?.type ?? null,
        objectId: p.object?.id ?? null,
        operations: p.operations,
      },
      include: { user: { select: { userName: true, domain: true } } },
    });
    return { token, apiToken: row };
  },
  audit: ({ apiToken: t }) => ({
    code: 'API_TOKEN_CREATED',
    vars: { tokenName: t.name, targetName: `${t.user.userName}@${t.user.domain}` },
  }),
  api: {
    mutation: 'createApiToken',
    description:
      "Create an API token for a tool; its secret is shown once. It acts as its user, limited to a subset of the user's permissions.",
    payload: { field: 'created', type: 'NewApiToken' },
  },
});
