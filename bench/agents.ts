// Bench worker: many simulated hosts in one process. In 'vireo' mode each host runs the real
// agent (agent/session.ts: its own graphql-ws socket, hello, reports, command channel); in 'raw'
// mode each host sends the same reports as plain JSON over a plain `ws` socket (the baseline).
// Every sample is stamped with the time it was taken (host netTxBps, VM diskWriteBps hold
// Date.now()), so a subscriber can tell how old it is when it arrives.
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { startAgent, type Agent } from '../agent/session.ts';
import { SimulatedHypervisor } from '../agent/drivers/simulated.ts';
import type { HypervisorDriver } from '../agent/driver.ts';
import type { DomainSpec } from '../protocol/messages.ts';
import { pct } from './stats.ts';
import { reply } from './workers.ts';

export interface BenchHost {
  id: string;
  name: string;
  token: string;
  clusterId: string;
  vms: DomainSpec[];
}
export interface AgentsStart {
  type: 'start';
  mode: 'vireo' | 'raw';
  /** The engine (raw: the bare server); several engines: host i starts on engine (first + i) mod n and fails over to the next. */
  url: string;
  urls?: string[];
  first?: number;
  intervalMs: number;
  spreadMs: number;
  hosts: BenchHost[];
}

let sent = 0;
let failed = 0;
let helloRefused = 0;
let answered: number[] = []; // ms from sampling to the engine's answer, per report (vireo mode)
const failures = new Map<string, number>(); // distinct failure messages (digits blanked), with counts
const stopFns: (() => Promise<void> | void)[] = [];

/** The simulated hypervisor, with the sampling time written into the samples. */
function stamped(host: BenchHost, seed: number): HypervisorDriver {
  const sim = new SimulatedHypervisor({ hostName: host.name, seed, running: host.vms, memoryMb: 1024 * 1024 });
  return Object.assign(Object.create(sim) as HypervisorDriver, {
    stats: async () => {
      const s = await sim.stats();
      const now = Date.now();
      sent++;
      s.host.netTxBps = now;
      for (const d of s.domains) d.sample.diskWriteBps = now;
      return s;
    },
  });
}

function rawAgent(url: string, host: BenchHost, seed: number, intervalMs: number) {
  const driver = stamped(host, seed);
  const ws = new WebSocket(`${url}?role=agent`);
  let seq = 0;
  let timer: NodeJS.Timeout | null = null;
  ws.on('open', () => {
    const tick = async () => {
      const stats = await driver.stats();
      if (ws.readyState !== WebSocket.OPEN) {
        failed++;
        return;
      }
      ws.send(
        JSON.stringify({
          hostId: host.id,
          clusterId: host.clusterId,
          report: { seq: seq++, sampledAt: new Date().toISOString(), ...stats },
        }),
      );
    };
    void tick();
    timer = setInterval(() => void tick(), intervalMs);
  });
  ws.on('error', () => {
    failed++;
  });
  return () => {
    if (timer) clearInterval(timer);
    ws.close();
  };
}

process.on('message', async (msg: any) => {
  if (msg.type === 'start') {
    const m = msg as AgentsStart;
    const gap = m.spreadMs / Math.max(1, m.hosts.length);
    const t0 = performance.now();
    for (const [i, host] of m.hosts.entries()) {
      // Spread the hosts over one interval, as real hosts' timers would be.
      const wait = t0 + i * gap - performance.now();
      if (wait > 0) await sleep(wait);
      if (m.mode === 'raw') {
        stopFns.push(rawAgent(m.url, host, i + 1, m.intervalMs));
        continue;
      }
      const n = m.urls?.length ?? 0;
      const agent: Agent = startAgent({
        engineUrl: n > 1 ? m.urls!.map((_, k) => m.urls![((m.first ?? 0) + i + k) % n]!) : m.url,
        hostName: host.name,
        token: host.token,
        driver: stamped(host, i + 1),
        intervalMs: m.intervalMs,
        onReported: (ms) => {
          if (answered.length < 200_000) answered.push(ms);
        },
        log: (line) => {
          if (line.startsWith('report failed')) failed++;
          else if (line.startsWith('hello refused')) helloRefused++;
          else return;
          const key = line.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\d+/g, 'N').slice(0, 200);
          if (failures.size < 10 || failures.has(key)) failures.set(key, (failures.get(key) ?? 0) + 1);
        },
      });
      stopFns.push(() => agent.stop());
    }
    reply({ type: 'started' });
  } else if (msg.type === 'collect') {
    reply({
      type: 'counters',
      sent,
      failed,
      helloRefused,
      failures: [...failures],
      memMb: process.memoryUsage().rss / 2 ** 20,
      answeredP50: pct(answered, 50),
      answeredP99: pct(answered, 99),
    });
    answered = [];
  } else if (msg.type === 'stop') {
    await Promise.race([Promise.allSettled(stopFns.map((f) => f())), sleep(8000)]);
    process.exit(0);
  }
});
reply({ type: 'ready' });
