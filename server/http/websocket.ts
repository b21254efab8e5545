// graphql-ws on the engine's HTTP server, run through Yoga's envelop so that WebSocket
// operations get the same plugins, limits and context as HTTP ones.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaApp } from './app.ts';
import type { Context } from '../../schema/context.ts';
import { SocketLimits } from './websocketLimits.ts';
import { ANONYMOUS_SOCKETS_CLOSE, AnonymousSockets, CONNECTION_INIT_WAIT_MS } from './anonymousSockets.ts';
import { bearerToken, requestActor } from '../auth/requestActor.ts';
import { loadConfig } from '../config.ts';

type Enveloped = ReturnType<YogaApp['getEnveloped']>;
type Args = ExecutionArgs & { rootValue: { execute: Enveloped['execute']; subscribe: Enveloped['subscribe'] } };

/**
 * An operation that fails outside GraphQL's own error handling (a document the parser refuses,
 * a throw in a plugin) is answered with an error on that operation only: graphql-ws would close
 * the whole socket (4500) with every subscription on it.
 */
function operationError(err: unknown): GraphQLError {
  if (err instanceof GraphQLError) return err;
  console.error(err);
  return new GraphQLError('Unexpected error.');
}
const operationErrors = (err: unknown) => (err instanceof AggregateError ? err.errors.map(operationError) : [operationError(err)]);

/** An operation whose execution (query or subscription) is these errors, and nothing else runs. */
function refusedOperation(schema: Args['schema'], document: Args['document'], errors: GraphQLError[]): Args {
  const answer = () => ({ errors });
  return { schema, document, rootValue: { execute: answer as never, subscribe: answer as never } };
}

async function answered<T>(run: () => T | Promise<T>): Promise<T | ExecutionResult> {
  try {
    return await run();
  } catch (err) {
    return { errors: [operationError(err)] };
  }
}

export function graphqlWebSocket(yoga: YogaApp) {
  // A message over the limit of an HTTP request closes the socket (1009, "Message Too Big"): it is
  // not read, so there is no operation id to answer on.
  // listen.ts routes the upgrades on the GraphQL path here (other paths have their own servers).
  const config = loadConfig();
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.VIREO_MAX_REQUEST_BYTES });
  const limits = new SocketLimits();
  const anonymous = new AnonymousSockets(config.VIREO_MAX_ANONYMOUS_SOCKETS);
  const addressOf = (req: http.IncomingMessage) => req.socket.remoteAddress ?? 'unknown';
  /** Whether connection_init's params carry a valid session or API token, or a host agent's token. */
  const identified = async (params: Record<string, unknown> | undefined) => {
    const token = bearerToken(params?.authorization);
    if (token) return (await requestActor(yoga.engine.db, token)).actor.userId !== null;
    const { host, token: agentToken } = params ?? {};
    return (
      typeof host === 'string' && typeof agentToken === 'string' && (await yoga.engine.monitoring.authenticate(host, agentToken)) !== null
    );
  };
  const server = useServer(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      onConnect: async (ctx) => {
        // Anonymous sockets are let in (the log-in page's); they keep counting against their address.
        if (await identified(ctx.connectionParams)) anonymous.release(addressOf(ctx.extra.request), ctx.extra.socket);
        return true;
      },
      execute: (args) => answered(() => (args as Args).rootValue.execute(args)),
      subscribe: (args) => answered(() => (args as Args).rootValue.subscribe(args)),
      onSubscribe: async (ctx, id, params) => {
        try {
          const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params,
          });
          // The document first: one refused there costs no database work (the session's look-up).
          const document = parse(params.query);
          let errors: readonly GraphQLError[];
          try {
            errors = validate(schema, document);
          } catch (err) {
            // Refused after validation (beforeSessionChecks.ts: too costly, bad variables): answered
            // as a result of the operation, as on HTTP, without looking the session up.
            return refusedOperation(schema, document, operationErrors(err));
          }
          if (errors.length) return errors;
          const contextValue = (await contextFactory()) as Context;
          const refusal = limits.admit(ctx, id, contextValue.actor.userId);
          if (refusal) return [refusal];
          const args: Args = {
            schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            contextValue,
            rootValue: { execute, subscribe },
          };
          return args;
        } catch (err) {
          return operationErrors(err);
        }
      },
      onClose: (ctx) => limits.closed(ctx),
    },
    wss,
  );
  return {
    upgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        const address = addressOf(req);
        if (!anonymous.opened(address, ws)) return ws.close(ANONYMOUS_SOCKETS_CLOSE.code, ANONYMOUS_SOCKETS_CLOSE.reason);
        ws.once('close', () => anonymous.release(address, ws));
        wss.emit('connection', ws, req);
      }),
    dispose: () => server.dispose(),
  };
}
