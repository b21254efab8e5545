// A series of statistics samples over a time window, for the charts: stored history first
// (`seed`), then the live samples of the stats subscriptions (`push`), oldest first.
import { ref } from 'vue';

export interface Sample {
  at: number;
  values: Record<string, number>;
}

/**
 * @param windowMs how much time the series spans (the chart's range, which may change); older samples are dropped
 * @param capacity the most samples it keeps (the oldest go first)
 */
export function useStatsSeries(windowMs: () => number = () => 60 * 60_000, capacity = 2_000) {
  const samples = ref<Sample[]>([]);

  function keep(list: Sample[]) {
    const from = (list.at(-1)?.at ?? 0) - windowMs();
    return list.filter((s) => s.at >= from).slice(-capacity);
  }
  /**
   * Adds a live sample at the end. One with the time of the last point replaces it: the same
   * sample sent again (a subscription sends the stored one first, again after a reconnection),
   * or the history bucket it ends. An older one is dropped.
   */
  function push(at: number, values: Record<string, number>) {
    const last = samples.value.at(-1);
    if (last && at < last.at) return;
    const before = last && at === last.at ? samples.value.slice(0, -1) : samples.value;
    samples.value = keep([...before, { at, values }]);
  }
  /** Puts stored history before the live samples, except what they already cover. */
  function seed(history: Sample[]) {
    const first = samples.value[0]?.at ?? Infinity;
    samples.value = keep([...history.filter((s) => s.at < first), ...samples.value]);
  }
  function clear() {
    samples.value = [];
  }
  return { samples, push, seed, clear };
}
