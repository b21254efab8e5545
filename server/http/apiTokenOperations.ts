// An API token limited to saved operations runs only those documents (compared as graphql-js
// prints them, so whitespace and comments do not matter), over HTTP, SSE and WebSocket alike.
import { GraphQLError, parse, print, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../schema/context.ts';

/** The form a saved operation is stored and compared in: graphql's print of its parsed document. */
export function normalizeOperation(document: string): string {
  return print(parse(document));
}

function refusal(ctx: Context, document: DocumentNode) {
  const allowed = ctx.actor.token?.operations;
  if (!allowed || allowed.includes(print(document))) return null;
  return { errors: [new GraphQLError('This API token may run only its saved operations.', { extensions: { code: 'FORBIDDEN' } })] };
}

export function apiTokenOperations(): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args.contextValue as Context, args.document);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args.contextValue as Context, args.document);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
