// Who may read the schema through introspection (__schema, __type): VIREO_INTROSPECTION is
// `users` (default: logged-in users and tokens), `all` (anonymous callers too) or `off`.
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../schema/context.ts';
import { loadConfig } from '../config.ts';

function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export function introspectionSetting(): Plugin<Context> {
  const policy = loadConfig().VIREO_INTROSPECTION;
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (policy === 'all' || !introspects(args.document)) return;
      const ctx = args.contextValue as Context;
      const loggedIn = ctx.actor.internal || ctx.actor.userId !== null;
      if (policy === 'users' && loggedIn) return;
      const [message, code] =
        policy === 'off'
          ? ['Introspection is off on this engine (VIREO_INTROSPECTION).', 'FORBIDDEN']
          : ['Log in first to read the schema.', 'UNAUTHENTICATED'];
      setResultAndStopExecution({ errors: [new GraphQLError(message, { extensions: { code } })] });
    },
  };
}
