// Live statistics series for a host or a VM. The committed schema has no stats subscription yet,
// so this polls `statistics` every 5 s and keeps the distinct samples. When hostStats / vmStats
// are in the schema, replace the useQuery+useRefetch pair with
//   useSubscription({ query: HostStatsSubscription, variables: { hostId } }, (_, s) => { series.push(s.hostStats.sampledAt, {...}); })
// — the charts only read `samples`.
import { watch, type Ref } from 'vue';
import { useQuery } from '@urql/vue';
import { useRefetch } from './useRefetch';
import { useStatsSeries } from './useStatsSeries';
import { HostStatsQuery } from '../graphql/host';
import { VmStatsQuery } from '../graphql/vm';

const POLL_MS = 5_000;

export function useHostStats(id: Ref<string>) {
  const series = useStatsSeries();
  const q = useQuery({ query: HostStatsQuery, variables: () => ({ id: id.value }), requestPolicy: 'network-only' });
  useRefetch(() => q.executeQuery({ requestPolicy: 'network-only' }), POLL_MS);
  watch(q.data, (d) => {
    const s = d?.node?.__typename === 'Host' ? d.node.statistics : null;
    if (!s) return;
    const memTotal = s.memUsedMb + s.memFreeMb;
    series.push(s.sampledAt, {
      cpu: s.cpuUserPercent + s.cpuSysPercent,
      mem: memTotal ? (s.memUsedMb / memTotal) * 100 : 0,
      rx: s.netRxBps,
      tx: s.netTxBps,
    });
  }, { immediate: true });
  return { samples: series.samples, fetching: q.fetching, error: q.error };
}

export function useVmStats(id: Ref<string>) {
  const series = useStatsSeries();
  const q = useQuery({ query: VmStatsQuery, variables: () => ({ id: id.value }), requestPolicy: 'network-only' });
  useRefetch(() => q.executeQuery({ requestPolicy: 'network-only' }), POLL_MS);
  watch(q.data, (d) => {
    const s = d?.node?.__typename === 'Vm' ? d.node.statistics : null;
    if (!s) return;
    series.push(s.sampledAt, { cpu: s.cpuPercent, mem: s.memUsedMb, rx: s.netRxBps, tx: s.netTxBps });
  }, { immediate: true });
  return { samples: series.samples, fetching: q.fetching, error: q.error };
}
