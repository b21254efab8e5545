// A rolling series of statistics samples for live charts. Today the samples come from polling
// the entity's `statistics`; when the hostStats/vmStats subscriptions land, push() their
// payloads instead (see useHostStats) and nothing else changes.
import { ref } from 'vue';

export interface Sample { at: number; values: Record<string, number> }

export function useStatsSeries(capacity = 60) {
  const samples = ref<Sample[]>([]);
  let lastKey = '';
  /** Adds a sample unless it is the one already at the end (same sampledAt). */
  function push(sampledAt: string, values: Record<string, number>) {
    if (sampledAt === lastKey) return;
    lastKey = sampledAt;
    samples.value = [...samples.value, { at: Date.parse(sampledAt), values }].slice(-capacity);
  }
  return { samples, push };
}
