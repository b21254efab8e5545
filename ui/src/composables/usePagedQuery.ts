// One page of a connection query, with rows, totals and refetch-on-change (and optional polling).
import { computed, type Ref } from 'vue';
import { useQuery, type AnyVariables, type TypedDocumentNode } from '@urql/vue';
import { useRefetch } from './useRefetch';

interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: { node: N }[];
}
type NodeOf<C> = C extends { edges: { node: infer N }[] } ? N : never;

export function usePagedQuery<TData, TVars extends AnyVariables, K extends keyof TData & string>(
  document: TypedDocumentNode<TData, TVars>,
  field: K,
  variables: Ref<TVars>,
  pollMs?: number,
) {
  const query = useQuery({ query: document, variables });
  const connection = computed(() => query.data.value?.[field] as Connection<NodeOf<TData[K]>> | undefined);
  const rows = computed(() => connection.value?.edges.map((e) => e.node));
  useRefetch(() => query.executeQuery({ requestPolicy: 'network-only' }), pollMs);
  return {
    query,
    rows,
    totalCount: computed(() => connection.value?.totalCount),
    hasNextPage: computed(() => connection.value?.pageInfo.hasNextPage ?? false),
    endCursor: computed(() => connection.value?.pageInfo.endCursor),
    refetch: () => query.executeQuery({ requestPolicy: 'network-only' }),
  };
}
