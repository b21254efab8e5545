// Live status of the hosts and VMs a view shows: one hostUpdated / vmUpdated subscription per
// visible entity, shared (reference-counted) between every view that shows it, feeding a
// module-scoped overlay. Views render `withLiveVms(rows)` / `liveHostStatus(host)`: the subscription's
// first message is the current state, then each change, so the overlay is never older than the
// query's row. An entity no view shows any more is unsubscribed and dropped from the overlay.
// Tables' usage columns do the same with hostStats / vmStats (each agent sample), per visible row.
import { onBeforeUnmount, reactive, watch } from 'vue';
import { useClientHandle, type Client } from '@urql/vue';
import { HostStatsSubscription, HostUpdatedSubscription, VmStatsSubscription, VmUpdatedSubscription } from '../graphql/live';
import type {
  LiveHostStatsSubscription,
  LiveHostUpdatedSubscription,
  LiveVmStatsSubscription,
  LiveVmUpdatedSubscription,
} from '../gql/graphql';

export type LiveVm = LiveVmUpdatedSubscription['vmUpdated'];
export type LiveHost = LiveHostUpdatedSubscription['hostUpdated'];
export type LiveHostSample = LiveHostStatsSubscription['hostStats'];
export type LiveVmSample = LiveVmStatsSubscription['vmStats'];

export const liveVms = reactive(new Map<string, LiveVm>());
export const liveHosts = reactive(new Map<string, LiveHost>());
/** The latest agent sample of each visible host / VM (global id → sample). */
export const liveHostStats = reactive(new Map<string, LiveHostSample>());
export const liveVmStats = reactive(new Map<string, LiveVmSample>());

type Kind = 'vm' | 'host' | 'vmStats' | 'hostStats';
const overlays: Record<Kind, Map<string, unknown>> = { vm: liveVms, host: liveHosts, vmStats: liveVmStats, hostStats: liveHostStats };

function subscribe(client: Client, kind: Kind, id: string) {
  switch (kind) {
    case 'vm':
      return client.subscription(VmUpdatedSubscription, { vmId: id }).subscribe((r) => {
        if (r.data) liveVms.set(id, r.data.vmUpdated);
      });
    case 'host':
      return client.subscription(HostUpdatedSubscription, { hostId: id }).subscribe((r) => {
        if (r.data) liveHosts.set(id, r.data.hostUpdated);
      });
    case 'vmStats':
      return client.subscription(VmStatsSubscription, { vmId: id }).subscribe((r) => {
        if (r.data) liveVmStats.set(id, r.data.vmStats);
      });
    case 'hostStats':
      return client.subscription(HostStatsSubscription, { hostId: id }).subscribe((r) => {
        if (r.data) liveHostStats.set(id, r.data.hostStats);
      });
  }
}

const held = new Map<string, { count: number; unsubscribe: () => void }>();

function acquire(client: Client, kind: Kind, id: string) {
  const key = `${kind}:${id}`;
  const entry = held.get(key);
  if (entry) {
    entry.count++;
    return;
  }
  const source = subscribe(client, kind, id);
  held.set(key, { count: 1, unsubscribe: () => source.unsubscribe() });
}

function release(kind: Kind, id: string) {
  const key = `${kind}:${id}`;
  const entry = held.get(key);
  if (!entry || --entry.count > 0) return;
  entry.unsubscribe();
  held.delete(key);
  overlays[kind].delete(id);
}

/** Keeps the given entities (global ids) subscribed while the calling component is mounted. */
function useLive(kind: Kind, ids: () => (string | null | undefined)[]) {
  const { client } = useClientHandle();
  let mine: string[] = [];
  watch(
    ids,
    (next) => {
      const wanted = [...new Set(next.filter((id): id is string => !!id))];
      for (const id of wanted) if (!mine.includes(id)) acquire(client, kind, id);
      for (const id of mine) if (!wanted.includes(id)) release(kind, id);
      mine = wanted;
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    for (const id of mine) release(kind, id);
    mine = [];
  });
}

export const useLiveVms = (ids: () => (string | null | undefined)[]) => useLive('vm', ids);
export const useLiveHosts = (ids: () => (string | null | undefined)[]) => useLive('host', ids);
export const useLiveVmStats = (ids: () => (string | null | undefined)[]) => useLive('vmStats', ids);
export const useLiveHostStats = (ids: () => (string | null | undefined)[]) => useLive('hostStats', ids);

/** Rows of a query with what the live subscriptions said since (status, host, statistics…). */
export function withLiveVms<T extends { id: string }>(rows: T[] | undefined): T[] | undefined {
  return rows?.map((r) => {
    const live = liveVms.get(r.id);
    return live ? { ...r, ...live } : r;
  });
}
export function withLiveHosts<T extends { id: string }>(rows: T[] | undefined): T[] | undefined {
  return rows?.map((r) => {
    const live = liveHosts.get(r.id);
    return live ? { ...r, ...live } : r;
  });
}

export function liveHostStatus(host: { id: string; status: string }) {
  return (liveHosts.get(host.id)?.status as string | undefined) ?? host.status;
}
