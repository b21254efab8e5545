// Refetch a query when data changed elsewhere (a mutation here), when the live connection comes
// back after a drop (changes may have been missed), and optionally on an interval while the tab
// is visible (only for what no subscription covers).
import { onBeforeUnmount, watch } from 'vue';
import { dataVersion } from './dataVersion';
import { liveRestored } from './liveConnection';

export function useRefetch(refetch: () => void, pollMs?: number) {
  watch(dataVersion, () => refetch());
  watch(liveRestored, (restored) => {
    if (restored) refetch();
  });
  if (!pollMs) return;
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') refetch();
  }, pollMs);
  onBeforeUnmount(() => clearInterval(timer));
}

/** At most one call per `ms`: the first at once, the last of a burst at the end of the window. */
export function throttle(fn: () => void, ms: number) {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const throttled = () => {
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn();
      return;
    }
    if (!timer)
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        fn();
      }, wait);
  };
  throttled.cancel = () => clearTimeout(timer);
  return throttled;
}
