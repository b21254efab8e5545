import { builder } from '../schema/builder.ts';
import { ErrorInterface } from '../schema/types/errors.ts';
import { AuthenticationError } from '../server/auth/login.ts';
import { closeSession } from '../server/auth/sessions.ts';
import { recordEvents } from '../server/actions/actionEvents.ts';
import { InputError } from '../server/errors.ts';

builder.objectType(AuthenticationError, {
  name: 'AuthenticationError',
  description: 'Log-in refused: INVALID_CREDENTIALS, ACCOUNT_DISABLED, DIRECTORY_UNAVAILABLE, TOO_MANY_ATTEMPTS or UNKNOWN_PROFILE.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', { nullable: true }) }),
});

type Session = { token: string; expiresAt: Date; user: { id: string } };
const LoginPayload = builder.objectRef<Session>('LoginPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', {
      description: 'Send as `Authorization: Bearer <token>` (HTTP) or connectionParams.authorization (WebSocket).',
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'Idle expiry; each use extends it.' }),
    user: t.prismaField({
      type: 'User',
      resolve: (query, s, _a, ctx) => ctx.db.user.findUniqueOrThrow({ ...query, where: { id: s.user.id } }),
    }),
  }),
});

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    userName: t.string({ required: true }),
    password: t.string({ required: true }),
    profile: t.string({ required: false, description: "'internal' (default) or a directory profile name (see loginProfiles)." }),
  }),
});

builder.queryFields((t) => ({
  loginProfiles: t.stringList({
    skipTypeScopes: true,
    description: 'Profiles a user can log in with: internal, then the directories.',
    resolve: (_r, _a, ctx) => ctx.engine.login.profileNames(),
  }),
  me: t.prismaField({
    type: 'User',
    description: 'The logged-in user.',
    resolve: (query, _r, _a, ctx) => ctx.db.user.findUniqueOrThrow({ ...query, where: { id: ctx.actor.userId ?? '' } }),
  }),
  adminPortalAllowed: t.boolean({
    description:
      "Whether the logged-in user holds an administrator role (adminRole) on some object, directly or through a group: the admin portal is for them; others use the VM portal (oVirt's rule).",
    resolve: async (_r, _a, ctx) => (await ctx.visibility()).admin,
  }),
}));

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginPayload,
    skipTypeScopes: true,
    errors: { types: [AuthenticationError], dataField: { name: 'session' } },
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      if (input.userName.length < 1 || input.userName.length > 256 || input.password.length > 1024)
        throw new InputError([{ path: 'userName', message: 'must be 1 to 256 characters (password at most 1024)' }]);
      return ctx.engine.login.login({
        userName: input.userName,
        password: input.password,
        profile: input.profile ?? undefined,
        clientAddress: ctx.clientAddress,
      });
    },
  }),
  logout: t.boolean({
    description: 'Ends this session; its token stops working at once.',
    resolve: async (_r, _a, ctx) => {
      if (!ctx.actor.sessionId) return false;
      await closeSession(ctx.db, ctx.actor.sessionId);
      ctx.engine.pubsub.publish('permission:changed', { id: ctx.actor.sessionId, kind: 'removed' });
      await recordEvents(ctx.engine, ctx.actor, [{ code: 'USER_VDC_LOGOUT', vars: {} }]);
      return true;
    },
  }),
}));
