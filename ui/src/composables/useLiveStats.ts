// Live statistics series for a host, a VM, or the whole system, from the hostStats / vmStats
// subscriptions: the latest stored sample first, then each sample the agents report. The charts
// only read `samples`. After a dropped connection graphql-ws subscribes again, and the repeated
// latest sample is skipped (same sampledAt).
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useClientHandle, useQuery, useSubscription } from '@urql/vue';
import { useStatsSeries } from './useStatsSeries';
import { useRefetch } from './useRefetch';
import { useRefetchOnAnyEvent } from './useLiveEvents';
import { ClusterIdsQuery, HostStatsSubscription, VmStatsSubscription } from '../graphql/live';
import type { LiveHostStatsSubscription } from '../gql/graphql';

type HostSample = LiveHostStatsSubscription['hostStats'];

const hostValues = (s: HostSample) => {
  const memTotal = s.memUsedMb + s.memFreeMb;
  return { cpu: s.cpuUserPercent + s.cpuSysPercent, mem: memTotal ? (s.memUsedMb / memTotal) * 100 : 0, rx: s.netRxBps, tx: s.netTxBps };
};

export function useHostStats(id: Ref<string>) {
  const series = useStatsSeries();
  watch(id, series.clear);
  const sub = useSubscription({ query: HostStatsSubscription, variables: computed(() => ({ hostId: id.value })) }, (_prev, d) => {
    series.push(d.hostStats.sampledAt, hostValues(d.hostStats));
    return d;
  });
  return { samples: series.samples, fetching: sub.fetching, error: sub.error };
}

export function useVmStats(id: Ref<string>) {
  const series = useStatsSeries();
  watch(id, series.clear);
  const sub = useSubscription({ query: VmStatsSubscription, variables: computed(() => ({ vmId: id.value })) }, (_prev, d) => {
    const s = d.vmStats;
    series.push(s.sampledAt, { cpu: s.cpuPercent, mem: s.memUsedMb, rx: s.netRxBps, tx: s.netTxBps });
    return d;
  });
  return { samples: series.samples, fetching: sub.fetching, error: sub.error };
}

/**
 * The whole system over time: hostStats(clusterId) for every cluster, the latest sample of each
 * host kept, and one aggregate point (mean CPU, memory used of total, summed network) at most
 * every `everyMs` — so that many hosts reporting at different moments make one curve.
 */
export function useSystemStats(everyMs = 2_000) {
  const { client } = useClientHandle();
  const series = useStatsSeries();
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
    series.push(`${new Date(at).toISOString()}#${all.map((s) => s.sampledAt).join()}`, {
      cpu: all.reduce((a, s) => a + s.cpuUserPercent + s.cpuSysPercent, 0) / all.length,
      mem: total ? (used / total) * 100 : 0,
      rx: all.reduce((a, s) => a + s.netRxBps, 0),
      tx: all.reduce((a, s) => a + s.netTxBps, 0),
    }, at);
  }
  function onSample(s: HostSample) {
    latest.set(s.hostId, s);
    // The first burst (each host's stored sample) is drawn at once; later ones at most every everyMs.
    if (!timer) timer = setTimeout(flush, Math.max(150, everyMs - (Date.now() - lastFlush)));
  }

  watch(() => clusters.data.value?.clusters.edges.map((e) => e.node.id) ?? [], (ids) => {
    for (const id of ids) {
      if (!subs.has(id)) subs.set(id, client.subscription(HostStatsSubscription, { clusterId: id }).subscribe((r) => { if (r.data) onSample(r.data.hostStats); }));
    }
    for (const [id, s] of subs) if (!ids.includes(id)) { s.unsubscribe(); subs.delete(id); }
  }, { immediate: true });
  onBeforeUnmount(() => { clearTimeout(timer); for (const s of subs.values()) s.unsubscribe(); subs.clear(); });

  return { samples: series.samples, hosts };
}
