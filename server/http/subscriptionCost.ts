// A subscription's depth, width and cost are checked before it starts, over WebSocket and SSE
// alike, with the limits queries have (schema/queryLimits.ts). The complexity plugin checks
// root fields when they resolve, which for a subscription is at each event, after it has
// subscribed: a costly subscription would hold its place and cost nothing until it failed.
import { GraphQLError, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { queryLimitError } from '../../schema/queryLimits.ts';

export function subscriptionCost(): Plugin {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const rule = createComplexityRule({
        variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
        operationName: args.operationName ?? undefined,
        context: args.contextValue as object,
        validate: (found, report) => {
          const refused = queryLimitError(found);
          if (refused) report(new GraphQLError(refused.message, { extensions: { code: refused.code } }));
        },
      });
      const errors = validate(args.schema, args.document, [rule]);
      if (errors.length) setResultAndStopExecution({ errors });
    },
  };
}
