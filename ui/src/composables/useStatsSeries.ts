// A rolling series of statistics samples for live charts, fed by the stats subscriptions.
import { ref } from 'vue';

export interface Sample { at: number; values: Record<string, number> }

export function useStatsSeries(capacity = 60) {
  const samples = ref<Sample[]>([]);
  let lastKey = '';
  /** Adds a sample unless it is the one already at the end (same key, e.g. the same sampledAt). */
  function push(key: string, values: Record<string, number>, at = Date.parse(key)) {
    if (key === lastKey) return;
    lastKey = key;
    samples.value = [...samples.value, { at, values }].slice(-capacity);
  }
  function clear() {
    lastKey = '';
    samples.value = [];
  }
  return { samples, push, clear };
}
