// What screen readers are told: one polite and one assertive live region (CommonAnnouncer, in
// the page from the start, as live regions must be) whose text changes with each announcement.
import { ref } from 'vue';

/** The latest polite announcement (status changes) and assertive one (errors, connection lost). */
export const politeMessage = ref('');
export const assertiveMessage = ref('');

/** Says `text` to assistive technology; `urgent` interrupts (errors), otherwise it waits its turn. */
export function announce(text: string, urgent = false) {
  const target = urgent ? assertiveMessage : politeMessage;
  // The same text twice is announced twice only if the region changes in between.
  target.value = '';
  queueMicrotask(() => {
    target.value = text;
  });
}
