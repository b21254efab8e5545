// Rows selected in a paged table (their ids), kept across pages with the names seen, for bulk
// actions and the outcomes they list by name. Rows a bulk Remove removed leave it (`deselect`).
import { computed, ref, type Ref } from 'vue';

export function useSelection(rows: Ref<{ id: string; name: string }[] | undefined>) {
  const selected = ref<string[]>([]);
  const names = new Map<string, string>();
  const selectedRows = computed(() => {
    for (const r of rows.value ?? []) names.set(r.id, r.name);
    return selected.value.map((id) => ({ id, name: names.get(id) ?? id }));
  });
  function deselect(ids: string[]) {
    selected.value = selected.value.filter((id) => !ids.includes(id));
  }
  return { selected, selectedRows, deselect };
}
