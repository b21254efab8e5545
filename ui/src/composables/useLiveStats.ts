// Statistics series for a host, a VM, or the whole system: the stored history of the chosen
// range first (statsHistory, systemStatsHistory: samples, hours or days as the engine picks),
// then each sample the hostStats / vmStats subscriptions bring (the live tail). The subscriptions send the latest stored sample first, and again after a
// dropped connection: a sample with the time of the last point replaces it (useStatsSeries).
// The charts only read `samples`; `fetching`, `error` and `retry` are the history's.
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useClientHandle, useQuery, useSubscription, type AnyVariables, type UseQueryResponse } from '@urql/vue';
import { useStatsSeries, type Sample } from './useStatsSeries';
import { useRefetch } from './useRefetch';
import { useRefetchOnAnyEvent } from './useLiveEvents';
import { ClusterIdsQuery, HostStatsSubscription, VmStatsSubscription } from '../graphql/live';
import { HostStatsHistoryQuery, SystemStatsHistoryQuery, VmStatsHistoryQuery } from '../graphql/statsHistory';
import type { LiveHostStatsSubscription } from '../gql/graphql';
import { rangeMs, type StatsRange } from './statsRange';

type HostSample = LiveHostStatsSubscription['hostStats'];
type Series = ReturnType<typeof useStatsSeries>;
/**
 * The history query's window for a range, fixed when the range is chosen (not moved with each
 * tick, which would ask again), and a series that keeps that much.
 */
function rangedSeries(range: Ref<StatsRange>) {
  const window = () => {
    const to = Date.now();
    return { from: new Date(to - rangeMs(range.value)).toISOString(), to: new Date(to).toISOString() };
  };
  const span = ref(window());
  const series = useStatsSeries(() => rangeMs(range.value));
  watch(range, () => {
    series.clear();
    span.value = window();
  });
  return { series, span };
}

const hostValues = (cpu: number, s: { memUsedMb: number; memFreeMb: number; netRxBps: number; netTxBps: number }) => {
  const memTotal = s.memUsedMb + s.memFreeMb;
  return { cpu, mem: memTotal ? (s.memUsedMb / memTotal) * 100 : 0, rx: s.netRxBps, tx: s.netTxBps };
};

/** Seeds the series with the history query's points whenever they arrive. */
function useHistory<T>(query: UseQueryResponse<T, AnyVariables>, points: (data: T) => Sample[], series: Series) {
  watch(
    query.data,
    (d) => {
      if (d) series.seed(points(d));
    },
    { immediate: true },
  );
  const retry = () => query.executeQuery({ requestPolicy: 'network-only' });
  return { samples: series.samples, fetching: query.fetching, error: query.error, retry };
}

export function useHostStats(id: Ref<string>, range: Ref<StatsRange>) {
  const { series, span } = rangedSeries(range);
  watch(id, series.clear);
  useSubscription({ query: HostStatsSubscription, variables: computed(() => ({ hostId: id.value })) }, (_prev, d) => {
    series.push(Date.parse(d.hostStats.sampledAt), hostValues(d.hostStats.cpuUserPercent + d.hostStats.cpuSysPercent, d.hostStats));
    return d;
  });
  const history = useQuery({
    query: HostStatsHistoryQuery,
    variables: computed(() => ({ id: id.value, ...span.value })),
    requestPolicy: 'network-only',
  });
  return useHistory(
    history,
    (d) =>
      (d.node?.__typename === 'Host' ? d.node.statsHistory : []).map((p) => ({
        at: Date.parse(p.sampledAt),
        values: hostValues(p.cpuPercent, p),
      })),
    series,
  );
}

/** `running`: while false (the VM is Down) live samples are not drawn: the chart stops where the VM did. */
export function useVmStats(id: Ref<string>, range: Ref<StatsRange>, running: Ref<boolean>) {
  const { series, span } = rangedSeries(range);
  watch(id, series.clear);
  const values = (s: { cpuPercent: number; memUsedMb: number; netRxBps: number; netTxBps: number }) => ({
    cpu: s.cpuPercent,
    mem: s.memUsedMb,
    rx: s.netRxBps,
    tx: s.netTxBps,
  });
  // The subscription sends the latest stored sample first, a Down VM's too: not a live value.
  useSubscription({ query: VmStatsSubscription, variables: computed(() => ({ vmId: id.value })) }, (_prev, d) => {
    if (running.value) series.push(Date.parse(d.vmStats.sampledAt), values(d.vmStats));
    return d;
  });
  const history = useQuery({
    query: VmStatsHistoryQuery,
    variables: computed(() => ({ id: id.value, ...span.value })),
    requestPolicy: 'network-only',
  });
  return useHistory(
    history,
    (d) => (d.node?.__typename === 'Vm' ? d.node.statsHistory : []).map((p) => ({ at: Date.parse(p.sampledAt), values: values(p) })),
    series,
  );
}

/**
 * The whole system over time: hostStats(clusterId) for every cluster, the latest sample of each
 * host kept, and one aggregate point (mean CPU, memory used of total, summed network) at most
 * every `everyMs` — so that many hosts reporting at different moments make one curve.
 */
export function useSystemStats(range: Ref<StatsRange>, everyMs = 2_000) {
  const { client } = useClientHandle();
  const { series, span } = rangedSeries(range);
  const clusters = useQuery({ query: ClusterIdsQuery });
  // A cluster added or removed elsewhere logs an event.
  useRefetch(() => clusters.executeQuery({ requestPolicy: 'network-only' }));
  useRefetchOnAnyEvent(() => clusters.executeQuery({ requestPolicy: 'network-only' }), 5_000);
  const latest = new Map<string, HostSample>();
  const hosts = ref(0);
  const subs = new Map<string, { unsubscribe(): void }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = 0;

  function flush() {
    timer = undefined;
    lastFlush = Date.now();
    const all = [...latest.values()];
    hosts.value = all.length;
    if (!all.length) return;
    const used = all.reduce((a, s) => a + s.memUsedMb, 0);
    const total = all.reduce((a, s) => a + s.memUsedMb + s.memFreeMb, 0);
    const at = Math.max(...all.map((s) => Date.parse(s.sampledAt)));
    series.push(at, {
      cpu: all.reduce((a, s) => a + s.cpuUserPercent + s.cpuSysPercent, 0) / all.length,
      mem: total ? (used / total) * 100 : 0,
      rx: all.reduce((a, s) => a + s.netRxBps, 0),
      tx: all.reduce((a, s) => a + s.netTxBps, 0),
    });
  }
  function onSample(s: HostSample) {
    latest.set(s.hostId, s);
    // The first burst (each host's stored sample) is drawn at once; later ones at most every everyMs.
    if (!timer) timer = setTimeout(flush, Math.max(150, everyMs - (Date.now() - lastFlush)));
  }

  watch(
    () => clusters.data.value?.clusters.edges.map((e) => e.node.id) ?? [],
    (ids) => {
      for (const id of ids) {
        if (!subs.has(id))
          subs.set(
            id,
            client.subscription(HostStatsSubscription, { clusterId: id }).subscribe((r) => {
              if (r.data) onSample(r.data.hostStats);
            }),
          );
      }
      for (const [id, s] of subs)
        if (!ids.includes(id)) {
          s.unsubscribe();
          subs.delete(id);
        }
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    clearTimeout(timer);
    for (const s of subs.values()) s.unsubscribe();
    subs.clear();
  });

  const history = useQuery({ query: SystemStatsHistoryQuery, variables: span, requestPolicy: 'network-only' });
  const state = useHistory(
    history,
    (d) =>
      d.systemStatsHistory.map((p) => ({
        at: Date.parse(p.sampledAt),
        values: { cpu: p.cpuPercent, mem: p.memUsedPercent, rx: p.netRxBps, tx: p.netTxBps },
      })),
    series,
  );
  return { ...state, hosts };
}
