// How the SDK talks to the engine: GraphQL over HTTP (multipart when a variable holds a file)
// and subscriptions over graphql-ws, both with the same bearer token.
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { GraphQLRequestError } from './errors.ts';

type Json = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };

/** Replaces each Blob in the variables by null and lists where it was (GraphQL multipart request spec). */
function extractFiles(value: unknown, path: string, files: { path: string; blob: Blob }[]): unknown {
  if (value instanceof Blob) {
    files.push({ path, blob: value });
    return null;
  }
  if (Array.isArray(value)) return value.map((v, i) => extractFiles(v, `${path}.${i}`, files));
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, extractFiles(v, `${path}.${k}`, files)]));
  return value;
}

export class Connection {
  private ws: WsClient | null = null;

  constructor(
    readonly url: string,
    public token: string | null,
  ) {}

  private headers(): Record<string, string> {
    return {
      accept: 'application/graphql-response+json, application/json',
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    };
  }

  /** Posts one operation; returns its data or throws GraphQLRequestError. */
  async post(query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const files: { path: string; blob: Blob }[] = [];
    const vars = extractFiles(variables, 'variables', files) as Record<string, unknown>;
    let body: string | FormData;
    const headers = this.headers();
    if (files.length) {
      body = new FormData();
      body.set('operations', JSON.stringify({ query, variables: vars }));
      body.set('map', JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))));
      for (const [i, f] of files.entries()) body.set(String(i), f.blob, (f.blob as File).name ?? `file${i}`);
    } else {
      body = JSON.stringify({ query, variables: vars });
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.url, { method: 'POST', headers, body });
    const text = await res.text();
    let json: Json;
    try {
      json = JSON.parse(text) as Json;
    } catch {
      throw new GraphQLRequestError([{ message: `HTTP ${res.status}: ${text.slice(0, 200)}` }]);
    }
    if (json.errors?.length) throw new GraphQLRequestError(json.errors);
    if (!json.data) throw new GraphQLRequestError([{ message: `HTTP ${res.status}: no data` }]);
    return json.data;
  }

  /** A subscription's results as an async iterator; ends with the subscription, throws on its errors. */
  async *subscribe(query: string, variables: Record<string, unknown> = {}): AsyncIterableIterator<Record<string, unknown>> {
    this.ws ??= createWsClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: () => (this.token ? { authorization: `Bearer ${this.token}` } : {}),
      lazyCloseTimeout: 100,
    });
    for await (const result of this.ws.iterate({ query, variables })) {
      if (result.errors?.length) throw new GraphQLRequestError(result.errors as Json['errors'] & object);
      yield (result.data ?? {}) as Record<string, unknown>;
    }
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
    this.ws = null;
  }
}
