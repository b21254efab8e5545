// The engine's GraphQL face: Yoga with its plugins and context, for GraphQL over HTTP (and SSE)
// and, through the same plugins and context, over WebSocket (websocket.ts; listen.ts serves both).
import { createYoga, type YogaInitialContext } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { PothosValidationError } from '@pothos/core';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { schema } from '../../schema/index.ts';
import type { Context } from '../../schema/context.ts';
import type { Engine } from '../engine.ts';
import type { IncomingMessage } from 'node:http';
import { bearerToken, requestActor } from '../auth/requestActor.ts';
import { VireoError } from '../errors.ts';
import { ovaDownloads } from './ova.ts';
import { reportDownloads } from './reports.ts';
import { sharedSubscriptionResults } from './sharedSubscriptionResults.ts';
import { apiTokenOperations } from './apiTokenOperations.ts';
import { introspectionSetting } from './introspection.ts';
import { checkBeforeSession } from './beforeSessionChecks.ts';
import { metricsEndpoint } from './metrics.ts';
import { requestContext } from './requestContext.ts';
import { subscriptionDocumentProblem } from './webhookRunner.ts';
import { openSubscriptions } from './openSubscriptions.ts';
import { loadConfig } from '../config.ts';
import { graphiqlAssets, renderGraphiQL } from './graphiql.ts';

/**
 * Parser-level limits (aliases, tokens, directives). Depth and cost are limited by the schema's
 * complexity plugin, which knows how many rows a connection's `first` asks for.
 */
const armor = EnvelopArmorPlugin({
  maxDepth: { enabled: false },
  costLimit: { enabled: false },
  maxAliases: { n: 30 },
  maxTokens: { n: 5000 },
  maxDirectives: { n: 50 },
  blockFieldSuggestion: { enabled: false },
});

export function createYogaApp(engine: Engine) {
  engine.subscriptionDocuments.problem = subscriptionDocumentProblem;
  const yoga = createYoga<YogaInitialContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Vireo GraphQL', subscriptionsProtocol: 'WS' },
    renderGraphiQL,
    plugins: [
      graphiqlAssets(),
      armor,
      ovaDownloads(engine),
      reportDownloads(engine),
      metricsEndpoint(engine),
      checkBeforeSession(),
      apiTokenOperations(),
      introspectionSetting(),
      openSubscriptions(engine.metrics.subscriptions),
      sharedSubscriptionResults(),
    ],
    // The same limit holds for one WebSocket message (websocket.ts).
    maxRequestBodySize: loadConfig().VIREO_MAX_REQUEST_BYTES,
    context: async (initial): Promise<Context> => {
      const extra = initial as { req?: IncomingMessage; connectionParams?: Record<string, unknown> };
      const token = bearerToken(initial.request?.headers.get('authorization')) ?? bearerToken(extra.connectionParams?.authorization);
      const { actor, badToken } = await requestActor(engine.db, token);
      return requestContext(engine, actor, badToken, extra.req?.socket?.remoteAddress ?? 'unknown');
    },
    maskedErrors: {
      // Vireo's own errors outside a result union (a bad id in a query) keep their message and code.
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (error instanceof GraphQLError && (original instanceof VireoError || !original)) return error;
        // graphql-js's own input errors (a variable of the wrong type) and Pothos's (a malformed
        // global id, cursor or page size) say what was wrong, without internals: bad input.
        if (error instanceof GraphQLError && (original instanceof GraphQLError || original instanceof PothosValidationError))
          return new GraphQLError(error.message, {
            nodes: error.nodes,
            path: error.path,
            extensions: { ...error.extensions, code: 'BAD_INPUT' },
          });
        console.error(error);
        return new GraphQLError(message);
      },
    },
  });
  // The WebSocket routes beside GraphQL's (the console proxy) need the engine too.
  return Object.assign(yoga, { engine });
}

export type YogaApp = ReturnType<typeof createYogaApp>;
