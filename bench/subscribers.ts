// Bench worker: N dashboard subscribers, each on its own socket. 'vireo': graphql-ws
// subscriptions hostStats/vmStats(clusterId) as the admin portal opens them; 'raw': plain `ws`
// sockets to the bare broadcast server (bench/wsBaseline.ts). Each message's age is measured from
// the time stamped into the sample by the simulated agent (bench/agents.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { pct } from './stats.ts';
import { reply } from './workers.ts';

export interface SubsStart {
  type: 'start';
  mode: 'vireo' | 'raw';
  url: string;
  /** Several engines: subscriber i connects to engine (first + i) mod n. */
  urls?: string[];
  first?: number;
  token?: string;
  /** One entry per subscriber: the cluster it watches (global id for vireo) and what. */
  subs: { cluster: string; kind: 'host' | 'vm' }[];
}

const MAX_KEPT = 300_000;
let windowStart = Date.now();
let received = 0;
let errors = 0;
let connected = 0;
let latencies: number[] = [];
const closers: (() => void)[] = [];

function record(stamp: unknown) {
  if (typeof stamp !== 'number' || stamp < windowStart) return; // the stored rows sent first, or before the window
  received++;
  const age = Date.now() - stamp;
  if (latencies.length < MAX_KEPT) latencies.push(age);
  else latencies[Math.floor(Math.random() * received)] = age; // keeps a uniform sample once full
}

const QUERIES = {
  host: 'subscription BenchHostStats($c: ID!) { hostStats(clusterId: $c) { hostId netTxBps } }',
  vm: 'subscription BenchVmStats($c: ID!) { vmStats(clusterId: $c) { vmId diskWriteBps } }',
};

function vireoSub(url: string, token: string, cluster: string, kind: 'host' | 'vm') {
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 3,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      connected: () => {
        connected++;
      },
    },
    onNonLazyError: () => {
      errors++;
    },
  });
  client.subscribe<any>(
    { query: QUERIES[kind], variables: { c: cluster } },
    {
      next: (r) => {
        if (r.errors?.length) {
          errors++;
          return;
        }
        record(kind === 'host' ? r.data?.hostStats?.netTxBps : r.data?.vmStats?.diskWriteBps);
      },
      error: () => {
        errors++;
      },
      complete: () => {},
    },
  );
  return () => void client.dispose();
}

function rawSub(url: string, cluster: string, kind: 'host' | 'vm') {
  const ws = new WebSocket(`${url}?role=sub&cluster=${encodeURIComponent(cluster)}&kind=${kind}`);
  ws.on('open', () => {
    connected++;
  });
  ws.on('error', () => {
    errors++;
  });
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    record(kind === 'host' ? m.payload?.data?.hostStats?.netTxBps : m.payload?.data?.vmStats?.diskWriteBps);
  });
  return () => ws.close();
}

process.on('message', async (msg: any) => {
  if (msg.type === 'start') {
    const m = msg as SubsStart;
    for (const [i, s] of m.subs.entries()) {
      const url = m.urls?.length ? m.urls[((m.first ?? 0) + i) % m.urls.length]! : m.url;
      closers.push(m.mode === 'vireo' ? vireoSub(url, m.token!, s.cluster, s.kind) : rawSub(m.url, s.cluster, s.kind));
      if (i % 50 === 49) await sleep(20); // do not open a thousand sockets in one tick
    }
    for (let t = 0; t < 600 && connected < m.subs.length; t++) await sleep(100);
    reply({ type: 'started', connected, errors });
  } else if (msg.type === 'reset') {
    windowStart = Date.now();
    received = 0;
    latencies = [];
    errors = 0;
    reply({ type: 'reset' });
  } else if (msg.type === 'collect') {
    const secs = (Date.now() - windowStart) / 1000;
    reply({ type: 'counters', received, perSec: received / secs, p50: pct(latencies, 50), p99: pct(latencies, 99), errors, connected });
  } else if (msg.type === 'stop') {
    for (const c of closers) c();
    await sleep(200);
    process.exit(0);
  }
});
reply({ type: 'ready' });
