// No text the API takes may hold a NUL character: PostgreSQL refuses it deep inside a statement
// (whose message names server files), so an operation carrying one is bad input at the door.
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function holdsNul(document: DocumentNode, variables: unknown): boolean {
  if (variables && JSON.stringify(variables).includes('\\u0000')) return true;
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\0')) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

const refusal = { errors: [new GraphQLError('Text may not contain NUL characters (\\u0000).', { extensions: { code: 'BAD_INPUT' } })] };

export function refuseNulCharacters(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (holdsNul(args.document, args.variableValues)) setResultAndStopExecution(refusal);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (holdsNul(args.document, args.variableValues)) setResultAndStopExecution(refusal);
    },
  };
}
