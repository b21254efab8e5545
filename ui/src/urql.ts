// The one API boundary: queries and mutations over HTTP, subscriptions over graphql-ws.
// The WebSocket is opened eagerly and kept alive with pings so a dropped engine shows at once.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/vue';
import { createClient as createWsClient } from 'graphql-ws';
import { markLive } from './composables/liveConnection';
import { clearSession, sessionToken } from './composables/session';

const token = () => sessionToken.value;

export function createVireoClient(endpoint = '/graphql'): Client {
  const wsUrl = new URL(endpoint, location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = createWsClient({
    url: wsUrl.toString(),
    lazy: false,
    connectionParams: () => (token() ? { authorization: `Bearer ${token()}` } : {}),
    keepAlive: 5_000,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 5_000))),
    on: {
      connecting: () => markLive('connecting'),
      connected: () => markLive('up'),
      closed: () => markLive('down'),
    },
  });
  return new Client({
    url: endpoint,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => (token() ? { headers: { authorization: `Bearer ${token()}` } } : {}),
    exchanges: [
      // An expired or revoked session: forget it, and the app shows the log-in form.
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) clearSession();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
}
