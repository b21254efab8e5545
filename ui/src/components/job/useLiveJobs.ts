// Running jobs live: one jobProgress subscription per STARTED job on screen, its latest state kept
// in a map, dropped (and the subscription ended) once the job is off screen.
import { onBeforeUnmount, reactive, watch } from 'vue';
import { useClientHandle } from '@urql/vue';
import { JobProgressSubscription } from '../../graphql/live';
import type { LiveJobProgressSubscription } from '../../gql/graphql';

type LiveJob = LiveJobProgressSubscription['jobProgress'];

/** Returns the live jobs by id; `onEnded` is called when a watched job stops running. */
export function useLiveJobs(running: () => string[], onEnded: () => void) {
  const { client } = useClientHandle();
  const live = reactive(new Map<string, LiveJob>());
  const subs = new Map<string, { unsubscribe(): void }>();
  watch(
    running,
    (ids) => {
      for (const id of ids) {
        if (subs.has(id)) continue;
        subs.set(
          id,
          client.subscription(JobProgressSubscription, { jobId: id }).subscribe((r) => {
            if (!r.data) return;
            live.set(id, r.data.jobProgress);
            if (r.data.jobProgress.status !== 'STARTED') onEnded();
          }),
        );
      }
      for (const [id, s] of subs)
        if (!ids.includes(id)) {
          s.unsubscribe();
          subs.delete(id);
          live.delete(id);
        }
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    for (const s of subs.values()) s.unsubscribe();
    subs.clear();
  });
  return live;
}
