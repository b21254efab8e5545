import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import PrismaPlugin from '@pothos/plugin-prisma';
import ErrorsPlugin from '@pothos/plugin-errors';
import ValidationPlugin from '@pothos/plugin-validation';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import type { Context } from './context.ts';
import { ActionFailedError, ForbiddenError, InputError, LockedError, NotFoundError, ValidationError } from '../server/errors.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { loggedIn: boolean; superUser: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Long: { Input: bigint; Output: bigint | number };
  };
}>({
  // relay first so that auth scopes see parsed global ids
  plugins: [RelayPlugin, ScopeAuthPlugin, PrismaPlugin, ErrorsPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({ loggedIn: ctx.actor.userId !== null || ctx.actor.superUser, superUser: ctx.actor.superUser }),
  },
  relay: { clientMutationId: 'omit', cursorType: 'String' },
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    maxConnectionSize: 500,
    defaultConnectionSize: 50,
    // A resolver that forgets to spread `query` would cost a query per row: fail loudly in tests.
    onUnusedQuery: process.env.VITEST ? 'error' : null,
  },
  errors: { defaultTypes: [InputError, NotFoundError, ValidationError, LockedError, ForbiddenError, ActionFailedError] },
  validation: {
    validationError: (result) =>
      new InputError(result.issues.map((i) => ({ path: (i.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.'), message: i.message }))),
  },
});
