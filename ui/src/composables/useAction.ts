// Runs one mutation and reads its result union: the Success member, or a coded error
// (Error { code message }, ValidationError { reasons }, InputError { issues }).
import { ref } from 'vue';
import { useMutation } from '@urql/vue';
import type { TypedDocumentNode } from '@urql/vue';
import { bumpDataVersion } from './dataVersion';
import { clearSession } from './session';
import { actionErrorOf, type ActionError, type UnionMember } from './actionError';
import { announce } from './announce';

/** What a request that never reached the engine says (not the browser's "Failed to fetch"). */
export const OFFLINE_MESSAGE =
  'The engine could not be reached, so the action may not have been done. Try again once the connection is back.';

export { actionErrorOf, type ActionError } from './actionError';

export function useAction<TData, TVars extends object, K extends keyof TData & string>(
  document: TypedDocumentNode<TData, TVars>,
  field: K,
) {
  const mutation = useMutation(document);
  const error = ref<ActionError | null>(null);

  /** Returns the Success member, or null after setting `error`. */
  async function run(variables: TVars) {
    error.value = null;
    const result = await mutation.executeMutation(variables);
    if (result.error) {
      const gqlError = result.error.graphQLErrors[0];
      const code = (gqlError?.extensions?.code as string | undefined) ?? (result.error.networkError ? 'NETWORK_ERROR' : 'GRAPHQL_ERROR');
      const message = gqlError?.message ?? (result.error.networkError ? OFFLINE_MESSAGE : result.error.message);
      error.value = { code, message, reasons: [], issues: [] };
      announce(`${code}: ${message}`, true);
      return null;
    }
    const member = (result.data as Record<string, UnionMember> | undefined)?.[field];
    error.value = actionErrorOf(member);
    if (error.value) announce(`${error.value.code}: ${error.value.message}`, true);
    if (error.value?.code === 'UNAUTHENTICATED') clearSession();
    if (error.value) return null;
    bumpDataVersion();
    return member as NonNullable<TData[K]>;
  }

  return { run, running: mutation.fetching, error };
}
