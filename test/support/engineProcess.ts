// Runs the engine as `npm start` does (tsx server/main.ts), as a separate process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from './databaseUrl.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** admin@internal's password in engines these helpers start. */
export const PROCESS_ADMIN_PASSWORD = 'admin-process-password';

export interface EngineProcess {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to "ready", as the engine printed it. */
  readyMs: number;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

let counter = 0;

/**
 * On the PostgreSQL pass, an empty database of its own for an engine process that does not choose
 * one (`DATABASE_URL: ''` chooses the embedded one): the engine migrates it as on a new install.
 * Dropped by the returned function.
 */
async function ownDatabase(env: Record<string, string>): Promise<{ url?: string; drop(): Promise<void> }> {
  const templateUrl = inject('templateUrl');
  if (!templateUrl || 'DATABASE_URL' in env) return { drop: async () => {} };
  const name = `vireo_test_${process.pid}_process_${++counter}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(templateUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: withDatabase(templateUrl, 'postgres') });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** `timeoutMs`: how long it may take to be ready (a demo seed on a busy machine takes long). */
export async function startEngineProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<EngineProcess> {
  const database = await ownDatabase(env);
  // `node --import tsx` (not the tsx CLI, which kills a busy child 60 ms after passing on SIGTERM).
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      VIREO_ADMIN_PASSWORD: PROCESS_ADMIN_PASSWORD,
      ...(database.url ? { DATABASE_URL: database.url } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Dropped once the engine has exited, before kill() resolves.
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      void database.drop().finally(() => done(code));
    }),
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`engine did not start:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /GraphQL and GraphiQL: (\S+)/.exec(out)?.[1];
      const ready = /ready in (\d+) ms/.exec(out)?.[1];
      if (url && ready) {
        clearTimeout(timer);
        resolve({
          url,
          child,
          readyMs: Number(ready),
          output: () => out,
          kill: (signal = 'SIGTERM') => {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code}:\n${out}`));
    });
  });
}

/** POSTs one GraphQL operation to a running engine, with a session token when given. */
export async function post(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return res.json();
}

/** Logs in as admin@internal; returns the token. */
export async function loginAdmin(url: string): Promise<string> {
  const res = await post(
    url,
    `mutation($p: String!) { login(input: { userName: "admin", password: $p }) { ... on MutationLoginSuccess { session { token } } } }`,
    { p: PROCESS_ADMIN_PASSWORD },
  );
  return res.data.login.session.token;
}

/** Waits until the demo has started: every host Up and every VM it starts Up (none left starting). */
export async function waitForDemoStarted(url: string, token: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const res = await post(
      url,
      '{ hosts(first: 100) { edges { node { status } } } vms(first: 500) { edges { node { name status } } } }',
      undefined,
      token,
    );
    const hosts: string[] = res.data?.hosts.edges.map((e: { node: { status: string } }) => e.node.status) ?? [];
    const vms: { name: string; status: string }[] =
      res.data?.vms.edges.map((e: { node: { name: string; status: string } }) => e.node) ?? [];
    const starting = vms.filter((v) => v.status !== 'UP' && v.status !== 'DOWN');
    if (hosts.length && hosts.every((s) => s === 'UP') && vms.some((v) => v.status === 'UP') && !starting.length) return;
    last = `hosts ${hosts.join(',')}; starting: ${starting.map((v) => `${v.name} ${v.status}`).join(', ')}`;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the demo did not start in ${timeoutMs} ms: ${last}`);
}
