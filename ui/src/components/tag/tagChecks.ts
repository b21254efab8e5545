// The dry runs of tagging and untagging one VM or host with one tag, whichever kind it is.
import { computed, type Ref } from 'vue';
import { useQuery } from '@urql/vue';
import { stableVariables } from '../../composables/stableVariables';
import { CanTagHostQuery, CanTagVmQuery } from '../../graphql/tag';

export type TaggedKind = 'VM' | 'HOST';

export function useTagChecks(kind: TaggedKind, objectId: () => string, tagId: () => string, armed: Ref<boolean>) {
  const vm = useQuery({
    query: CanTagVmQuery,
    variables: stableVariables(() => ({ vm: objectId(), tag: tagId() })),
    pause: computed(() => kind !== 'VM' || !tagId() || !armed.value),
    requestPolicy: 'network-only',
  });
  const host = useQuery({
    query: CanTagHostQuery,
    variables: stableVariables(() => ({ host: objectId(), tag: tagId() })),
    pause: computed(() => kind !== 'HOST' || !tagId() || !armed.value),
    requestPolicy: 'network-only',
  });
  return {
    canTag: computed(() => (kind === 'VM' ? vm.data.value?.canTagVm : host.data.value?.canTagHost)),
    canUntag: computed(() => (kind === 'VM' ? vm.data.value?.canUntagVm : host.data.value?.canUntagHost)),
  };
}
