// Refetch a query when data changed elsewhere, and (optionally) on an interval while the tab is visible.
import { onBeforeUnmount, watch } from 'vue';
import { dataVersion } from './dataVersion';

/** Polling stands in for subscriptions where the schema has none yet. */
export function useRefetch(refetch: () => void, pollMs?: number) {
  watch(dataVersion, () => refetch());
  if (!pollMs) return;
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') refetch();
  }, pollMs);
  onBeforeUnmount(() => clearInterval(timer));
}
