// How deep, wide and costly one operation may be: server/http/beforeSessionChecks.ts checks every
// operation right after validation, before its session is looked up; the complexity plugin checks
// queries and mutations again at their root fields.
import { getNamedType, getNullableType, isListType, type GraphQLField } from 'graphql';
import { QueryLimitError } from '../server/errors.ts';
import type { Context } from './context.ts';

export const QUERY_LIMITS = { complexity: 100_000, depth: 12, breadth: 400 };

/**
 * A connection costs what it may return: its selection times `first`/`last`; its `edges` list
 * is already counted that way. Other lists count ten times their selection.
 */
export function fieldComplexity(args: object, _ctx: Context, field: GraphQLField<unknown, Context>) {
  const size = (args as { first?: number | null; last?: number | null }).first ?? (args as { last?: number | null }).last;
  if (typeof size === 'number') return { field: 1, multiplier: Math.max(size, 1) };
  if (field.name === 'edges' && getNamedType(field.type).name.endsWith('Edge')) return { field: 1, multiplier: 1 };
  return { field: 1, multiplier: isListType(getNullableType(field.type)) ? 10 : 1 };
}

/** The first limit an operation's figures pass, as the error the API answers; null within them. */
export function queryLimitError(found: { complexity: number; depth: number; breadth: number }): QueryLimitError | null {
  for (const kind of ['depth', 'breadth', 'complexity'] as const) {
    if (found[kind] > QUERY_LIMITS[kind]) return new QueryLimitError(kind, found[kind], QUERY_LIMITS[kind]);
  }
  return null;
}
