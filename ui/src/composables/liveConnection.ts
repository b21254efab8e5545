// The state of the live (graphql-ws) connection, as module-scoped refs shared by every view.
import { ref } from 'vue';

export type LiveState = 'connecting' | 'up' | 'down';

/** Current state of the WebSocket to /graphql. */
export const liveState = ref<LiveState>('connecting');
/** True for a few seconds after the connection came back, so the banner can say so. */
export const liveRestored = ref(false);

let wasDown = false;
let restoredTimer: ReturnType<typeof setTimeout> | undefined;

export function markLive(state: LiveState) {
  if (state === 'down') wasDown = true;
  if (state === 'up' && wasDown) {
    wasDown = false;
    liveRestored.value = true;
    clearTimeout(restoredTimer);
    restoredTimer = setTimeout(() => {
      liveRestored.value = false;
    }, 4000);
  }
  // "connecting" after a drop is still "down" to the user until it is up again.
  if (state === 'connecting' && liveState.value === 'down') return;
  liveState.value = state;
}
