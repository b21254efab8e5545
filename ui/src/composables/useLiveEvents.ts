// The events subscription for an event list's filter: only new entries (no initial state), so
// the list refetches its first page on each (throttled), and again after a dropped connection.
import { computed, onBeforeUnmount } from 'vue';
import { useClientHandle, useSubscription } from '@urql/vue';
import { EventsSubscription } from '../graphql/live';
import type { EventFilter, EventSeverity, LiveEventsSubscription, LiveEventsSubscriptionVariables, ObjectType } from '../gql/graphql';
import { SEVERITIES } from '../utils/statuses';
import { throttle } from './useRefetch';

export type LiveEvent = LiveEventsSubscription['events'];

/** The subscription's arguments for a list filter (one object at most; severity and worse). */
export function eventSubscriptionArgs(filter: EventFilter): LiveEventsSubscriptionVariables {
  const objects: [keyof EventFilter, ObjectType][] = [
    ['vm', 'VM'],
    ['host', 'HOST'],
    ['cluster', 'CLUSTER'],
    ['dataCenter', 'DATA_CENTER'],
  ];
  const object = objects.find(([k]) => filter[k]);
  const min = filter.minSeverity ? SEVERITIES.indexOf(filter.minSeverity) : 0;
  return {
    objectType: object?.[1],
    objectId: object ? (filter[object[0]] as string) : undefined,
    severity: min > 0 ? (SEVERITIES.slice(min) as EventSeverity[]) : undefined,
  };
}

export function useLiveEvents(filter: () => EventFilter, onEvent: (e: LiveEvent) => void) {
  const variables = computed(() => eventSubscriptionArgs(filter()));
  return useSubscription({ query: EventsSubscription, variables }, (_prev, d) => {
    onEvent(d.events);
    return d;
  });
}

/** Calls `refetch` (throttled to one per `ms`) for each new event matching the filter. */
export function useRefetchOnEvents(filter: () => EventFilter, refetch: () => void, ms = 1_000) {
  const throttled = throttle(refetch, ms);
  onBeforeUnmount(throttled.cancel);
  return useLiveEvents(filter, () => throttled());
}

// One unfiltered events subscription shared by every view that only needs "something happened"
// (the dashboard's counts, running jobs, the cluster list of the system charts).
const anyEventListeners = new Set<() => void>();
let anyEventSource: { unsubscribe(): void } | null = null;

/** Calls `refetch` (throttled to one per `ms`) after any new event the user may see. */
export function useRefetchOnAnyEvent(refetch: () => void, ms = 2_000) {
  const { client } = useClientHandle();
  const throttled = throttle(refetch, ms);
  anyEventListeners.add(throttled);
  anyEventSource ??= client.subscription(EventsSubscription, {}).subscribe((r) => {
    if (r.data) for (const listener of anyEventListeners) listener();
  });
  onBeforeUnmount(() => {
    throttled.cancel();
    anyEventListeners.delete(throttled);
    if (!anyEventListeners.size) {
      anyEventSource?.unsubscribe();
      anyEventSource = null;
    }
  });
}
