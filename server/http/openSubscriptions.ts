// Counts the GraphQL subscriptions open now (WebSocket and SSE alike) for the metrics' gauge.
import type { Plugin } from 'graphql-yoga';
import type { Gauge } from 'prom-client';

export function openSubscriptions(gauge: Gauge): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in Object(result))) return; // refused before it started
          gauge.inc();
          let ended = false;
          return {
            onEnd() {
              if (!ended) {
                ended = true;
                gauge.dec();
              }
            },
          };
        },
      };
    },
  };
}
