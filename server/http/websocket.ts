// graphql-ws on the engine's HTTP server, run through Yoga's envelop so that WebSocket
// operations get the same plugins, limits and context as HTTP ones.
import type http from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaApp } from './app.ts';

type Enveloped = ReturnType<YogaApp['getEnveloped']>;
type Args = ExecutionArgs & { rootValue: { execute: Enveloped['execute']; subscribe: Enveloped['subscribe'] } };

export function attachWebSocket(server: http.Server, yoga: YogaApp) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  return useServer(
    {
      execute: (args) => (args as Args).rootValue.execute(args),
      subscribe: (args) => (args as Args).rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args: Args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wss,
  );
}
