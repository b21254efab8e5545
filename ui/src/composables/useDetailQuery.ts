// A detail page's query by global id, refetched after any mutation and optionally polled.
import { computed, type Ref } from 'vue';
import { useQuery, type TypedDocumentNode } from '@urql/vue';
import { useRefetch } from './useRefetch';

export function useDetailQuery<TData>(document: TypedDocumentNode<TData, { id: string }>, id: Ref<string>, pollMs?: number) {
  const query = useQuery({ query: document, variables: computed(() => ({ id: id.value })) });
  const refetch = () => query.executeQuery({ requestPolicy: 'network-only' });
  useRefetch(refetch, pollMs);
  return { query, data: query.data, refetch };
}
