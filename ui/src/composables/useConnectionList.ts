// Server-side filtering, sorting and paging of a Relay connection: the state and the variables.
// Paging keeps a stack of `after` cursors so Previous works without `before`/`last`. With `inUrl`
// the search (`filter.search`), sort and page are kept in the page's URL (`?q=…&sort=…&dir=…&after=…`),
// so a link or a reload shows the same view.
import { computed, reactive, ref, watch, type Ref } from 'vue';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';

export interface ConnectionListOptions<S extends string, F extends object> {
  pageSize?: number;
  sortBy?: S;
  direction?: 'ASC' | 'DESC';
  /** Filter fields fixed by the caller (e.g. the cluster of a detail page). */
  fixed?: () => Partial<F>;
  /** Keep the search, sort and page in the URL (a list page's own table). */
  inUrl?: boolean;
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
  // Synchronous, so that a view read from the URL can set the filter and then its page.
  watch(() => JSON.stringify(filter), resetPaging, { flush: 'sync' });
  if (opts.inUrl) keepInUrl();

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

  /** The view as URL parameters, and back. */
  function keepInUrl() {
    const route = useRoute();
    const router = useRouter();
    const search = filter as { search?: string };
    const fromUrl = (q: LocationQuery) => {
      const text = typeof q.q === 'string' && q.q ? q.q : undefined;
      if (search.search !== text) search.search = text;
      sortBy.value = (typeof q.sort === 'string' && q.sort ? q.sort : opts.sortBy) as S | undefined;
      direction.value = q.dir === 'ASC' || q.dir === 'DESC' ? q.dir : (opts.direction ?? 'ASC');
      const after = [q.after ?? []].flat().filter((a): a is string => typeof a === 'string');
      if (after.join() !== cursors.value.slice(1).join()) cursors.value = [null, ...after];
    };
    const toUrl = () => ({
      ...route.query,
      q: search.search || undefined,
      sort: sortBy.value && sortBy.value !== opts.sortBy ? sortBy.value : undefined,
      dir: direction.value !== (opts.direction ?? 'ASC') ? direction.value : undefined,
      after: cursors.value.length > 1 ? (cursors.value.slice(1) as string[]) : undefined,
    });
    /** What of a URL's query is the view, comparable. */
    const viewOf = (q: Record<string, unknown>) => JSON.stringify([q.q ?? null, q.sort ?? null, q.dir ?? null, [q.after ?? []].flat()]);
    // Only while this page is shown (the route changes before the table goes away).
    const path = route.path;
    fromUrl(route.query);
    watch(
      () => route.query,
      (q) => route.path === path && fromUrl(q),
    );
    watch([() => search.search, sortBy, direction, cursors], () => {
      if (route.path !== path) return;
      const query = toUrl();
      if (viewOf(query) !== viewOf(route.query)) router.replace({ query });
    });
  }

  return { pageSize, sortBy, direction, filter, page, variables, sort, next, previous, resetPaging };
}
