// A parsed search as a Prisma condition: every term must hold, any of a term's values may match,
// `!=` negates the term. Each table names its keys and what one value of each means.
import { parseSearch, SearchError } from './searchQuery.ts';

/** A Prisma where-input type (VmWhereInput, HostWhereInput…). */
type Where = object;

/** What one value of a key means, as a condition. */
export type KeyMatcher<W extends Where> = (value: string, key: string) => W;

export interface SearchTable<W extends Where> {
  /** The objects searched, for messages: "VMs". */
  noun: string;
  keys: Record<string, KeyMatcher<W>>;
}

/** The condition a search text stands for; a SearchError (unknown key, bad value, syntax) otherwise. */
export function searchWhere<W extends Where>(table: SearchTable<W>, text: string): W {
  const all = parseSearch(text).map((term) => {
    const match = table.keys[term.key];
    if (!match)
      throw new SearchError(`Unknown search key "${term.key}": ${table.noun} are searched by ${Object.keys(table.keys).join(', ')}.`);
    const any = term.values.map((v) => match(v, term.key));
    const one = any.length === 1 ? any[0]! : ({ OR: any } as W);
    return term.negated ? ({ NOT: one } as W) : one;
  });
  return (all.length ? { AND: all } : {}) as W;
}
