// Who may read the schema through introspection (__schema, __type): VIREO_INTROSPECTION is
// `users` (default: logged-in users and tokens), `all` (anonymous callers too) or `off`. The
// schema is the same for everyone, so an introspection-only operation's answer is kept per
// document (a full introspection is ~100 kB that would be built again for each client).
import { BREAK, GraphQLError, getOperationAST, Kind, visit, type DocumentNode, type ExecutionResult } from 'graphql';
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

/** Whether the operation asks only for __schema, __type and __typename at its root, with no variables. */
function onlyIntrospection(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  return (
    operation?.operation === 'query' &&
    !operation.variableDefinitions?.length &&
    operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && ['__schema', '__type', '__typename'].includes(s.name.value))
  );
}

export function introspectionSetting(): Plugin<Context> {
  const policy = loadConfig().VIREO_INTROSPECTION;
  const answers = new WeakMap<DocumentNode, Map<string | null | undefined, ExecutionResult>>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (!introspects(args.document)) return;
      const ctx = args.contextValue as Context;
      const loggedIn = ctx.actor.internal || ctx.actor.userId !== null;
      if (policy === 'all' || (policy === 'users' && loggedIn)) {
        if (!onlyIntrospection(args.document, args.operationName)) return;
        const known = answers.get(args.document) ?? new Map<string | null | undefined, ExecutionResult>();
        answers.set(args.document, known);
        const answer = known.get(args.operationName);
        if (answer) return setResultAndStopExecution(answer);
        return {
          onExecuteDone({ result }) {
            if (!(Symbol.asyncIterator in result) && !result.errors) known.set(args.operationName, result);
          },
        };
      }
      const [message, code] =
        policy === 'off'
          ? ['Introspection is off on this engine (VIREO_INTROSPECTION).', 'FORBIDDEN']
          : ['Log in first to read the schema.', 'UNAUTHENTICATED'];
      setResultAndStopExecution({ errors: [new GraphQLError(message, { extensions: { code } })] });
    },
  };
}
