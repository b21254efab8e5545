// A real engine for one test file: its own database (a copy of the migrated one), the real
// Yoga app, and helpers that speak GraphQL over HTTP to it (yoga.fetch, or a real port).
import fs from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type Database } from '../../server/db.ts';
import { createEngine, type Engine, type EngineOptions } from '../../server/engine.ts';
import { ensureInitialAdmin } from '../../server/auth/initialAdmin.ts';
import { createYogaApp, type YogaApp } from '../../server/http/app.ts';
import { listen } from '../../server/http/listen.ts';
import { withDatabase } from './databaseUrl.ts';

export type GqlResult = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

export const ADMIN_PASSWORD = 'admin-test-password';

export interface TestEngine {
  engine: Engine;
  database: Database;
  yoga: YogaApp;
  /** POSTs one operation as the administrator; returns the parsed JSON body. */
  gql(query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  /** The same with another session's token (null: anonymous). */
  gqlAs(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  /** Logs in through the API; returns the session token. */
  login(userName: string, password: string, profile?: string): Promise<string>;
  adminToken: string;
  /** Serves the app on 127.0.0.1 and a free port. */
  listen(): Promise<{ url: string; stop(): Promise<void> }>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestEngine(opts: { engine?: EngineOptions } = {}): Promise<TestEngine> {
  const templateUrl = inject('templateUrl');
  let dropDatabase = async () => {};
  let database: Database;
  if (templateUrl) {
    const name = `vireo_test_${process.pid}_${process.env.VITEST_POOL_ID ?? 0}_${++counter}_${Date.now()}`.replace(/[^a-z0-9_]/g, '_');
    const admin = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${new URL(templateUrl).pathname.slice(1)}`);
    database = await openDatabase({ url: withDatabase(templateUrl, name), migrate: false });
    dropDatabase = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  } else {
    const dump = await fs.readFile(inject('pgliteDump')!);
    const pglite = new PGlite({ loadDataDir: new Blob([dump]) });
    database = await openDatabase({ pglite, migrate: false });
    const closeDb = database.close;
    database.close = async () => {
      await closeDb();
      await pglite.close();
    };
  }
  const engine = createEngine(database, opts.engine);
  await ensureInitialAdmin(engine.db, ADMIN_PASSWORD);
  const yoga = createYogaApp(engine);
  const fetchGql = async (token: string | null, query: string, variables?: Record<string, unknown>) => {
    const res = await yoga.fetch('http://vireo.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  };
  const login = async (userName: string, password: string, profile?: string) => {
    const res = await fetchGql(
      null,
      `mutation($i: LoginInput!) { login(input: $i) { __typename ... on MutationLoginSuccess { session { token } } ... on Error { code message } } }`,
      { i: { userName, password, profile } },
    );
    const payload = res.data?.login;
    if (payload?.__typename !== 'MutationLoginSuccess') throw new Error(`login of ${userName} failed: ${JSON.stringify(res)}`);
    return payload.session.token as string;
  };
  const adminToken = await login('admin', ADMIN_PASSWORD);
  return {
    engine,
    database,
    yoga,
    adminToken,
    gql: (query, variables) => fetchGql(adminToken, query, variables),
    gqlAs: (token, query, variables) => fetchGql(token, query, variables),
    login,
    listen: () => listen(yoga, '127.0.0.1', 0),
    async close() {
      // Redis connections, when the engine has any (redisUrl): closed before the server they talk to stops.
      await engine.locks.close();
      await engine.login.close();
      await engine.hosts.close();
      await engine.pubsub.close();
      await database.close();
      await dropDatabase();
    },
  };
}
