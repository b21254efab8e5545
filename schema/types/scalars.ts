import { GraphQLError, Kind } from 'graphql';
import { builder } from '../builder.ts';

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO-8601 string with milliseconds and zone (2026-11-25T01:33:24.000Z).',
  serialize: (d) => d.toISOString(),
  parseValue: (v) => {
    const d = new Date(String(v));
    if (Number.isNaN(d.getTime())) throw new GraphQLError(`DateTime cannot represent "${String(v)}"`);
    return d;
  },
});

builder.scalarType('Long', {
  description: 'A whole number up to 2^53 (sizes in bytes), sent as a JSON number.',
  serialize: (v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new GraphQLError(`Long cannot represent ${String(v)}`);
    return n;
  },
  parseValue: (v) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new GraphQLError('Long must be a whole number below 2^53');
    return BigInt(v);
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError('Long must be a whole number');
    const n = Number(ast.value);
    if (!Number.isSafeInteger(n)) throw new GraphQLError('Long must be below 2^53');
    return BigInt(ast.value);
  },
});
