// The Vireo client: every operation of the schema as a typed function (generated/sdk.ts), log-in
// or token auth, your own typed documents, and jobs followed to their end.
import { operations, type Transport, type TypedDocumentString } from './generated/sdk.ts';
import { Connection } from './transport.ts';
import { LoginError } from './errors.ts';
import { jobHandle, type JobHandle } from './jobs.ts';

export interface ClientOptions {
  /** The engine's GraphQL endpoint, e.g. http://127.0.0.1:8080/graphql. */
  url: string;
  /** A session token (from login) or an API token (vireo_api_…). */
  token?: string;
}

export type VireoClient = ReturnType<typeof createClient>;

export function createClient(options: ClientOptions) {
  const connection = new Connection(options.url, options.token ?? null);
  const transport: Transport = {
    request: async <T, V>(doc: TypedDocumentString<unknown, V>, variables: V, field: string) =>
      (await connection.post(doc.toString(), variables as Record<string, unknown>))[field] as T,
    subscribe: async function* <T, V>(doc: TypedDocumentString<unknown, V>, variables: V, field: string) {
      for await (const data of connection.subscribe(doc.toString(), variables as Record<string, unknown>)) yield data[field] as T;
    },
  };
  const ops = operations(transport);
  return {
    ...ops,
    /** The token requests are sent with (null: none). */
    get token() {
      return connection.token;
    },
    set token(value: string | null) {
      connection.token = value;
    },
    /** Logs in with a user name and password; later requests use the session. Throws LoginError when refused. */
    async login(userName: string, password: string, profile?: string) {
      const r = await ops.mutation.login({ input: { userName, password, profile } });
      if (r.__typename !== 'MutationLoginSuccess') throw new LoginError(r.code, r.message);
      connection.token = r.session.token;
      return r.session;
    },
    /** Runs your own document (e.g. typed with graphql-codegen); resolves with its whole `data`. */
    request: <R, V extends Record<string, unknown>>(document: TypedDocumentString<R, V> | string, variables?: V) =>
      connection.post(document.toString(), variables) as Promise<R>,
    /** Your own subscription document as an async iterator of its `data`. */
    subscribe: <R, V extends Record<string, unknown>>(document: TypedDocumentString<R, V> | string, variables?: V) =>
      connection.subscribe(document.toString(), variables) as AsyncIterableIterator<R>,
    /** A job to follow: `await client.job(id).done()` (by id, or the `job` of an action's result). */
    job: (job: string | { id: string }): JobHandle => jobHandle(ops, typeof job === 'string' ? job : job.id),
    /** Closes the WebSocket of subscriptions, if one is open. */
    close: () => connection.close(),
  };
}
