// What can be refused from the document and its variables alone is refused right after validation,
// before the request's session is looked up or anything runs (HTTP, SSE and WebSocket alike): an
// operation too deep, wide or costly (the limits of schema/queryLimits.ts, subscriptions included:
// the complexity plugin alone would check them only at each event), variables of the wrong type,
// and NUL characters. A hostile document then costs its parse and validation, no database work.
import {
  BREAK,
  GraphQLError,
  getOperationAST,
  getVariableValues,
  validate,
  visit,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { queryLimitError } from '../../schema/queryLimits.ts';

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_INPUT' } });

// No text the API takes may hold a NUL character: PostgreSQL refuses it deep inside a statement
// (whose message names server files), so an operation carrying one is bad input at the door.
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

type Schema = Parameters<typeof validate>[0];

/**
 * The refusals of operations without variables, which depend on the document alone (Yoga hands
 * out one parsed document per query text, so a repeated query is checked once).
 */
const withoutVariables = new WeakMap<DocumentNode, Map<string | undefined, GraphQLError[]>>();

/** The refusals of a valid document with these variables (none: it may run). */
export function refusalsBeforeSession(
  schema: Schema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  // No such operation: execution says so, as it always has.
  if (!operation) return [];
  if (operation.variableDefinitions?.length || (variables && Object.keys(variables).length))
    return refusals(schema, document, operation, variables, operationName);
  const known = withoutVariables.get(document) ?? new Map<string | undefined, GraphQLError[]>();
  withoutVariables.set(document, known);
  const found = known.get(operationName) ?? refusals(schema, document, operation, undefined, operationName);
  known.set(operationName, found);
  return found;
}

function refusals(
  schema: Schema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): GraphQLError[] {
  if (holdsNul(document, variables)) return [badInput('Text may not contain NUL characters (\\u0000).')];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 20 });
  if (coerced.errors) return coerced.errors.map((e) => badInput(e.message));
  const rule = createComplexityRule({
    variableValues: variables ?? {},
    operationName,
    context: {},
    validate: (found, report) => {
      const refused = queryLimitError(found);
      if (refused) report(new GraphQLError(refused.message, { extensions: { code: refused.code } }));
    },
  });
  // An argument its mapper refuses (a malformed id or cursor, text too long) is left to
  // execution, which answers it as bad input (and where the complexity plugin checks the limits too).
  try {
    return validate(schema, document, [rule]).filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
  } catch {
    return [];
  }
}

/**
 * Thrown, not returned as validation errors: Yoga caches a document's validation result, and
 * these depend on the variables too.
 */
export function checkBeforeSession(): Plugin {
  return {
    onValidate({ params: { schema, documentAST }, context }) {
      return ({ valid }) => {
        if (!valid) return;
        const params = (context as { params?: { variables?: Record<string, unknown>; operationName?: string } }).params;
        const refused = refusalsBeforeSession(schema, documentAST, params?.variables ?? undefined, params?.operationName ?? undefined);
        if (refused.length) throw refused.length === 1 ? refused[0] : new AggregateError(refused);
      };
    },
  };
}
