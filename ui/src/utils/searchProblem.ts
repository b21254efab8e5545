// What is wrong with a table's search, in the engine's words: its BAD_INPUT error naming
// `filter.search` (unknown key, bad value, broken term), without the field's prefix.
import type { CombinedError } from '@urql/vue';

const PREFIX = 'Invalid input: filter.search: ';

export function searchProblem(error: CombinedError | null | undefined): string | undefined {
  const e = error?.graphQLErrors.find((g) => g.extensions?.code === 'BAD_INPUT' && g.message.startsWith(PREFIX));
  return e?.message.slice(PREFIX.length);
}
