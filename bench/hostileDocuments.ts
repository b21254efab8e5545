// How long hostile documents keep an ordinary query waiting: an engine process (embedded
// database) answers `{ me { id } }` every 25 ms while hostile clients send, over HTTP and
// graphql-ws, documents each limit should refuse (too many aliases, tokens or directives, too
// deep, too costly, too large a body or message, too many ids, a fragment cycle, a NUL, a syntax
// error, anonymous introspection, subscriptions beyond a socket's limit) and a few heavy ones
// within the limits. Prints the probes tried and refused as expected, and the query's p50/p99
// alone and under the hostile load (the aim: p99 under 100 ms).
//   node --import tsx bench/hostileDocuments.ts [--seconds 20] [--clients 4] [--profile]
// --profile writes the engine's CPU profile (bench/.profiles/) and prints its top functions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { BENCH_ADMIN_PASSWORD, gql, ROOT, startEngine } from './engineProcess.ts';
import { pct } from './stats.ts';
import { mainThreadProfile, summarizeProfile } from './profile.ts';

const { values: o } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '4' },
    profile: { type: 'boolean', default: false },
    // Internal: this file run again as the hostile clients' process (so their work never delays the measured query).
    hostile: { type: 'string' },
    token: { type: 'string' },
  },
});
const SECONDS = Number(o.seconds);
const CLIENTS = Number(o.clients);
const LIMIT = 16 * 1024 ** 2;

/** An HTTP probe: the document and what its answer must be. */
interface Probe {
  name: string;
  body: () => string;
  token: boolean;
  expect: (status: number, body: any) => boolean;
}
const refusedWith =
  (...codes: string[]) =>
  (_s: number, b: any) =>
    !b?.data?.[Object.keys(b?.data ?? {})[0] ?? ''] && (b?.errors ?? []).some((e: any) => codes.includes(e.extensions?.code));
const anyError = (_s: number, b: any) => (b?.errors?.length ?? 0) > 0 && !Object.values(b?.data ?? {}).some((v) => v != null);
const answered = (_s: number, b: any) => !b?.errors && b?.data != null;
const doc = (query: string, variables?: unknown) => () => JSON.stringify({ query, variables });
const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => Buffer.from(`Vm:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64'));
const OVERSIZE = JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(LIMIT)}` });
let nested = 'id';
for (let i = 0; i < 8; i++) nested = `cluster { vms(first: 1) { edges { node { ${nested} } } } }`;

const HTTP_PROBES: Probe[] = [
  {
    name: 'aliases',
    token: true,
    body: doc(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(' ')} }`),
    expect: anyError,
  },
  { name: 'tokens', token: true, body: doc(`{ me { ${Array.from({ length: 6000 }, () => 'id').join(' ')} } }`), expect: anyError },
  {
    name: 'directives',
    token: true,
    body: doc(`{ me { id ${Array.from({ length: 60 }, () => '@include(if: true)').join(' ')} } }`),
    expect: anyError,
  },
  { name: 'depth', token: true, body: doc(`{ vms(first: 1) { edges { node { ${nested} } } } }`), expect: refusedWith('QUERY_TOO_COMPLEX') },
  {
    name: 'cost',
    token: true,
    body: doc('{ vms(first: 500) { edges { node { cluster { vms(first: 500) { edges { node { id name } } } } } } } }'),
    expect: refusedWith('QUERY_TOO_COMPLEX'),
  },
  {
    name: 'ids',
    token: true,
    body: doc('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(501) }),
    expect: refusedWith('BAD_INPUT'),
  },
  { name: 'body size', token: true, body: () => OVERSIZE, expect: (s) => s === 413 },
  {
    name: 'fragment cycle',
    token: true,
    body: doc('{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }'),
    expect: refusedWith('GRAPHQL_VALIDATION_FAILED'),
  },
  { name: 'syntax', token: true, body: doc('{ me { id '), expect: anyError },
  {
    name: 'NUL',
    token: true,
    body: doc('query($s: String) { vms(filter: { nameContains: $s }) { totalCount } }', { s: 'a\u0000' }),
    expect: refusedWith('BAD_INPUT'),
  },
  {
    name: 'bad variable',
    token: true,
    body: doc('query($n: Int) { vms(first: $n) { totalCount } }', { n: '1e9' }),
    expect: refusedWith('BAD_INPUT'),
  },
  {
    name: 'anonymous introspection',
    token: false,
    body: doc('{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }'),
    expect: refusedWith('UNAUTHENTICATED'),
  },
  { name: 'anonymous query', token: false, body: doc('{ vms { totalCount } }'), expect: refusedWith('UNAUTHENTICATED') },
  // Heavy but within the limits: answered.
  {
    name: '500 ids (allowed)',
    token: true,
    body: doc('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(500) }),
    expect: (_s, b) => Array.isArray(b?.data?.nodes),
  },
  {
    name: 'introspection (allowed)',
    token: true,
    body: doc('{ __schema { types { name fields { name args { name } type { name ofType { name } } } } } }'),
    expect: answered,
  },
];

const counts = new Map<string, { tried: number; ok: number }>();
const count = (name: string, ok: boolean) => {
  const c = counts.get(name) ?? { tried: 0, ok: 0 };
  c.tried++;
  if (ok) c.ok++;
  counts.set(name, c);
};

/** The hostile clients, until `seconds` are over; sends the counts to the parent. */
async function hostileClients(url: string, token: string, seconds: number) {
  const end = Date.now() + seconds * 1000;
  const running = () => Date.now() < end;
  const httpClient = async (offset: number) => {
    for (let i = offset; running(); i++) {
      const p = HTTP_PROBES[i % HTTP_PROBES.length]!;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(p.token ? { authorization: `Bearer ${token}` } : {}) },
        body: p.body(),
      }).catch((e: Error) => ({ status: 0, json: async () => ({ error: e.message }) }));
      const body = await res.json().catch(() => null);
      count(`HTTP ${p.name}`, p.expect(res.status, body));
    }
  };
  /** Over graphql-ws: a costly subscription, a bad document (socket kept), operations beyond a socket's limit, an oversize message (socket closed 1009). */
  const wsClient = async () => {
    while (running()) {
      let closeCode = 0;
      const client = createClient({
        url: url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams: { authorization: `Bearer ${token}` },
        on: {
          closed: (e) => {
            closeCode = (e as { code: number }).code;
          },
        },
      });
      const outcome = (query: string, waitMs = 3000) =>
        new Promise<{ codes: string[] }>((resolve) => {
          const codes: string[] = [];
          client.subscribe(
            { query },
            {
              next: (r) => {
                for (const e of r.errors ?? []) codes.push(String(e.extensions?.code));
              },
              error: (e) => {
                for (const x of Array.isArray(e) ? e : [e])
                  codes.push(String((x as any)?.extensions?.code ?? (x as any)?.message ?? 'closed'));
                resolve({ codes });
              },
              complete: () => resolve({ codes }),
            },
          );
          setTimeout(() => resolve({ codes }), waitMs);
        });
      const costly = await outcome(
        `subscription { vmUpdated(clusterId: "${Buffer.from('Cluster:00000000-0000-4000-8000-000000000000').toString('base64')}") { ${nested} } }`,
      );
      count('WS costly subscription', costly.codes.includes('QUERY_TOO_COMPLEX'));
      const bad = await outcome('subscription { events { message ');
      count('WS bad document', bad.codes.length > 0 && closeCode === 0);
      const subs = await Promise.all(Array.from({ length: 110 }, () => outcome('subscription { events { message } }', 1000)));
      count('WS operations beyond 100 on a socket', subs.filter((x) => x.codes.includes('LIMIT_EXCEEDED')).length === 10);
      await outcome(`{ me { id } } # ${'x'.repeat(LIMIT)}`);
      await sleep(200);
      count('WS oversize message', closeCode === 1009);
      await client.dispose();
    }
  };
  await Promise.all([...Array.from({ length: CLIENTS }, (_, i) => httpClient(i * 3)), wsClient()]);
  process.send?.([...counts]);
}

if (o.hostile) {
  await hostileClients(o.hostile, o.token!, SECONDS);
  process.exit(0);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vireo-hostile-'));
const cpuProfDir = path.join(ROOT, 'bench', '.profiles');
if (o.profile) fs.mkdirSync(cpuProfDir, { recursive: true });
const profStart = Date.now();
/** The measured window under hostile load, for --profile. */
let window: { from: number; to: number } | undefined;
const engine = await startEngine(
  { VIREO_DATA_DIR: dataDir, DATABASE_URL: '', VIREO_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD },
  o.profile ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [],
);
try {
  const token: string = (
    await gql(
      engine.url,
      `mutation($p: String!) { login(input: { userName: "admin", password: $p }) { ... on MutationLoginSuccess { session { token } } } }`,
      { p: BENCH_ADMIN_PASSWORD },
    )
  ).login.session.token;
  const me = async () => {
    const t0 = performance.now();
    await gql(engine.url, '{ me { id } }', undefined, token);
    return performance.now() - t0;
  };
  /** `{ me { id } }` every 25 ms for `seconds`; its latencies. */
  const measure = async (seconds: number) => {
    const out: number[] = [];
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      out.push(await me());
      await sleep(25);
    }
    return out;
  };
  for (let i = 0; i < 20; i++) await me(); // warm up
  const alone = await measure(Math.min(10, SECONDS));

  const child = fork(
    fileURLToPath(import.meta.url),
    ['--hostile', engine.url, '--token', token, '--seconds', String(SECONDS + 1), '--clients', String(CLIENTS)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
  );
  const reported = new Promise<[string, { tried: number; ok: number }][]>((resolve) =>
    child.once('message', (m) => resolve(m as [string, { tried: number; ok: number }][])),
  );
  await sleep(1000);
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  window = { from: monotonicUs(), to: 0 };
  const underLoad = await measure(SECONDS);
  window.to = monotonicUs();
  for (const [name, c] of await reported) counts.set(name, c);
  const f = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `{ me { id } } alone:            n=${alone.length} p50 ${f(pct(alone, 50))} p99 ${f(pct(alone, 99))} max ${f(Math.max(...alone))}`,
  );
  console.log(
    `{ me { id } } under hostile load: n=${underLoad.length} p50 ${f(pct(underLoad, 50))} p99 ${f(pct(underLoad, 99))} max ${f(Math.max(...underLoad))} (aim: p99 < 100 ms)`,
  );
  let tried = 0;
  let ok = 0;
  for (const [name, c] of [...counts].sort()) {
    tried += c.tried;
    ok += c.ok;
    console.log(`  ${name.padEnd(40)} ${c.ok}/${c.tried}${c.ok < c.tried ? '  <-- not as expected' : ''}`);
  }
  console.log(`probes: ${tried} tried, ${ok} answered as expected (refused, or answered when within the limits), ${tried - ok} not`);
} finally {
  await engine.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
if (o.profile) {
  const file = mainThreadProfile(cpuProfDir, profStart);
  if (file)
    console.log(
      `\nEngine CPU profile (${file}), top functions by self time under hostile load (monotonic µs ${window?.from}–${window?.to}):\n${summarizeProfile(file, 40, window)}`,
    );
}
