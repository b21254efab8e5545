import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import PrismaPlugin from '@pothos/plugin-prisma';
import ErrorsPlugin from '@pothos/plugin-errors';
import ValidationPlugin from '@pothos/plugin-validation';
import ComplexityPlugin from '@pothos/plugin-complexity';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import type { Context } from './context.ts';
import {
  ActionFailedError,
  ForbiddenError,
  InputError,
  LockedError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../server/errors.ts';
import type { Visibility } from '../server/auth/permissions.ts';
import { visibleNodes } from './nodeVisibility.ts';
import { fieldComplexity, QUERY_LIMITS, queryLimitError } from './queryLimits.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { loggedIn: boolean; admin: boolean; visible: (v: Visibility) => boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Long: { Input: bigint; Output: bigint | number };
  };
}>({
  // relay first so that auth scopes see parsed global ids
  plugins: [RelayPlugin, ScopeAuthPlugin, PrismaPlugin, ErrorsPlugin, ValidationPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    // Objects check their own visibility once, not per field (a VM of another user is refused whole).
    runScopesOnType: true,
    authScopes: (ctx) => ({
      loggedIn: ctx.actor.internal || ctx.actor.userId !== null,
      admin: async () => (await ctx.visibility()).admin,
      visible: async (check) => check(await ctx.visibility()),
    }),
    unauthorizedError: (_parent, ctx) =>
      ctx.actor.internal || ctx.actor.userId ? new ForbiddenError('see this') : new UnauthenticatedError(ctx.badToken),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Only what the type's list would show (schema/nodeVisibility.ts).
    nodeQueryOptions: {
      resolve: async (_root, { id }, ctx, info): Promise<unknown> => {
        const [node] = await visibleNodes(builder, ctx, info, [id], 'id');
        if (node instanceof Error) throw node;
        return node;
      },
    },
    nodesQueryOptions: { resolve: (_root, { ids }, ctx, info): Promise<unknown[]> => visibleNodes(builder, ctx, info, ids, 'ids') },
  },
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    maxConnectionSize: 500,
    defaultConnectionSize: 50,
    // A resolver that forgets to spread `query` would cost a query per row: fail loudly in tests.
    onUnusedQuery: process.env.VITEST ? 'error' : null,
  },
  errors: {
    defaultTypes: [InputError, NotFoundError, ValidationError, LockedError, ForbiddenError, UnauthenticatedError, ActionFailedError],
  },
  complexity: {
    fieldComplexity,
    limit: QUERY_LIMITS,
    complexityError: (_kind, result) => queryLimitError(result)!,
  },
  validation: {
    validationError: (result) =>
      new InputError(
        result.issues.map((i) => ({
          path: (i.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.'),
          message: i.message,
        })),
      ),
  },
});
