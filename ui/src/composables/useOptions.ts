// Choices for the forms' selects (data centers, clusters, data domains, operating systems).
import { computed } from 'vue';
import { useQuery } from '@urql/vue';
import { DataCenterOptionsQuery } from '../graphql/dataCenter';
import { ClusterOptionsQuery } from '../graphql/cluster';
import { StorageDomainOptionsQuery } from '../graphql/storage';
import { OperatingSystemOptionsQuery } from '../graphql/vm';

export function useDataCenterOptions() {
  const q = useQuery({ query: DataCenterOptionsQuery, requestPolicy: 'network-only' });
  return computed(() => q.data.value?.dataCenters.edges.map(({ node }) => ({ value: node.id, label: node.name })) ?? []);
}

export function useClusterOptions() {
  const q = useQuery({ query: ClusterOptionsQuery, requestPolicy: 'network-only' });
  return computed(
    () => q.data.value?.clusters.edges.map(({ node }) => ({ value: node.id, label: `${node.name} (${node.dataCenter.name})` })) ?? [],
  );
}

export function useStorageDomainOptions() {
  const q = useQuery({ query: StorageDomainOptionsQuery, requestPolicy: 'network-only' });
  return computed(() => q.data.value?.storageDomains.edges.map(({ node }) => ({ value: node.id, label: node.name })) ?? []);
}

/** The engine's list (the one osType is checked against); it does not change while the engine runs. */
export function useOperatingSystemOptions() {
  const q = useQuery({ query: OperatingSystemOptionsQuery, requestPolicy: 'cache-first' });
  return computed(() => q.data.value?.operatingSystems.map((o) => ({ value: o, label: o })) ?? []);
}
