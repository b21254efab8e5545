// Subscriptions as a client makes them: graphql-ws on a real port, or SSE over plain HTTP.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { YogaApp } from '../../server/http/app.ts';

/** A graphql-ws subscription (token in connectionParams) as a queue of its results; dispose `client` when done. */
export function wsSubscribe(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const client: Client = createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const received: any[] = [];
  let wake: (() => void) | null = null;
  client.subscribe(
    { query, variables },
    {
      next: (r) => {
        received.push(r);
        wake?.();
      },
      error: (e) => {
        received.push({ errors: [e] });
        wake?.();
      },
      complete: () => {},
    },
  );
  return {
    client,
    received,
    /** The next result, or null when none comes within `ms`. */
    async next(ms = 5000) {
      if (!received.length)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, ms);
        });
      wake = null;
      return received.shift() ?? null;
    },
  };
}

/** A subscription over SSE (`Accept: text/event-stream`): its results as an async iterator; `abort` ends it. */
export async function sseSubscribe(yoga: YogaApp, query: string, variables: Record<string, unknown>, token: string | null) {
  const controller = new AbortController();
  const res = await yoga.fetch('http://vireo.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  return { events: sseEvents(res.body!.getReader()), abort: () => controller.abort() };
}

async function* sseEvents(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const chunk = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = chunk
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('');
      if (data) yield JSON.parse(data);
    }
  }
}
