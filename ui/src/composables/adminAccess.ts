// Whether the logged-in user may use the admin portal: only users holding an administrator role
// somewhere (oVirt's rule); others belong in the VM portal.
import { computed } from 'vue';
import { useQuery } from '@urql/vue';
import { AdminAccessQuery } from '../graphql/session';
import { sessionToken } from './session';

export function useAdminAccess() {
  const query = useQuery({ query: AdminAccessQuery, pause: computed(() => !sessionToken.value) });
  return {
    /** undefined until the engine answers. */
    allowed: computed(() => query.data.value?.adminPortalAllowed),
    error: query.error,
    retry: () => query.executeQuery({ requestPolicy: 'network-only' }),
  };
}
