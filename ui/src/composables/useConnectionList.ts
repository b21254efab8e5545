// Server-side filtering, sorting and paging of a Relay connection: the state and the variables.
// Paging keeps a stack of `after` cursors so Previous works without `before`/`last`.
import { computed, reactive, ref, watch, type Ref } from 'vue';

export interface ConnectionListOptions<S extends string, F extends object> {
  pageSize?: number;
  sortBy?: S;
  direction?: 'ASC' | 'DESC';
  /** Filter fields fixed by the caller (e.g. the cluster of a detail page). */
  fixed?: () => Partial<F>;
}

export function useConnectionList<S extends string, F extends object>(opts: ConnectionListOptions<S, F> = {}) {
  const pageSize = ref(opts.pageSize ?? 25);
  const sortBy = ref(opts.sortBy) as Ref<S | undefined>;
  const direction = ref<'ASC' | 'DESC'>(opts.direction ?? 'ASC');
  const filter = reactive({}) as Partial<F>;
  const cursors = ref<(string | null)[]>([null]);
  const page = computed(() => cursors.value.length);

  function resetPaging() {
    cursors.value = [null];
  }
  watch(() => JSON.stringify(filter), resetPaging);

  const variables = computed(() => {
    const merged: Record<string, unknown> = { ...(opts.fixed?.() ?? {}) };
    for (const [k, v] of Object.entries(filter)) {
      if (v !== '' && v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) merged[k] = v;
    }
    return {
      first: pageSize.value,
      after: cursors.value[cursors.value.length - 1],
      filter: merged as F,
      sortBy: sortBy.value,
      direction: direction.value,
    };
  });

  /** Clicking the sorted column flips the direction; another column sorts ascending. */
  function sort(field: S) {
    if (sortBy.value === field) direction.value = direction.value === 'ASC' ? 'DESC' : 'ASC';
    else {
      sortBy.value = field;
      direction.value = 'ASC';
    }
    resetPaging();
  }
  function next(endCursor?: string | null) {
    if (endCursor) cursors.value = [...cursors.value, endCursor];
  }
  function previous() {
    if (cursors.value.length > 1) cursors.value = cursors.value.slice(0, -1);
  }

  return { pageSize, sortBy, direction, filter, page, variables, sort, next, previous, resetPaging };
}
