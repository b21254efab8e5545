// A query's variables that change only when their values do. A component fed live rows (a new
// object on every vmUpdated or hostUpdated) would otherwise hand urql new variables on each
// report, and urql re-runs a network-only query for every new variables object: dry runs that
// never finish, requests that fill the browser's connections.
import { computed, type ComputedRef } from 'vue';

export function stableVariables<T extends object>(get: () => T): ComputedRef<T> {
  let key: string | undefined;
  let last: T;
  return computed(() => {
    const next = get();
    const nextKey = JSON.stringify(next);
    if (nextKey !== key) {
      key = nextKey;
      last = next;
    }
    return last;
  });
}
