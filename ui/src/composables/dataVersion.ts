// A counter bumped after every successful mutation: lists and details watch it and refetch,
// because the document cache cannot know that a removal changed a list it never saw the type of.
import { ref } from 'vue';

export const dataVersion = ref(0);

export function bumpDataVersion() {
  dataVersion.value++;
}
