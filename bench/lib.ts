// Shared pieces of the scale benchmark: percentiles, /proc readings, child processes.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
const TICKS = 100; // USER_HZ on Linux

/** Nearest-rank percentile of unsorted values (NaN when empty). */
export function pct(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** CPU seconds (user+system) and resident MiB of a process, from /proc. */
export function procStat(pid: number): { cpuS: number; rssMb: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuS = (Number(f[11]) + Number(f[12])) / TICKS; // utime, stime (fields 14, 15)
    const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpuS, rssMb: Number(rss ?? 0) / 1024 };
  } catch { return null; }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function machineStat(): { busy: number; total: number } {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - cpu[3]! - (cpu[4] ?? 0), total };
}

/** Samples a process every second: CPU % of one core (mean over the window) and peak RSS. */
export class ProcMeter {
  private readonly start: { cpuS: number; rssMb: number } | null;
  private readonly m0 = machineStat();
  private readonly t0 = performance.now();
  private peakRss: number;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.start = procStat(pid);
    this.peakRss = this.start?.rssMb ?? 0;
    this.timer = setInterval(() => { const s = procStat(pid); if (s) this.peakRss = Math.max(this.peakRss, s.rssMb); }, 1000);
    this.timer.unref();
  }
  /** cpu: % of one core; machine: % of all cores busy (every process, ours and others'). */
  stop() {
    clearInterval(this.timer);
    const end = procStat(this.pid);
    const m1 = machineStat();
    const secs = (performance.now() - this.t0) / 1000;
    return {
      cpuPct: end && this.start ? (100 * (end.cpuS - this.start.cpuS)) / secs : NaN,
      rssMb: Math.max(this.peakRss, end?.rssMb ?? 0),
      machinePct: (100 * (m1.busy - this.m0.busy)) / Math.max(1, m1.total - this.m0.total),
    };
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A bench worker (bench/*.ts) in its own Node process, talking over IPC. */
export interface Worker {
  child: ChildProcess;
  send(msg: unknown): void;
  /** The next message of this type (rejects after timeoutMs). */
  next<T = any>(type: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export function startWorker(file: string, args: unknown): Worker {
  const child = fork(path.join(ROOT, 'bench', file), [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'], cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, ((m: any) => void)[]>();
  const queued: any[] = [];
  child.on('message', (m: any) => {
    const w = waiting.get(m.type);
    if (w?.length) w.shift()!(m); else queued.push(m);
  });
  return {
    child,
    send: (msg) => child.send(msg as any),
    next: (type, timeoutMs = 120_000) => new Promise((resolve, reject) => {
      const i = queued.findIndex((m) => m.type === type);
      if (i >= 0) return resolve(queued.splice(i, 1)[0]);
      const timer = setTimeout(() => reject(new Error(`${file}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
      const list = waiting.get(type) ?? [];
      list.push((m) => { clearTimeout(timer); resolve(m); });
      waiting.set(type, list);
      child.once('exit', () => { clearTimeout(timer); reject(new Error(`${file} exited`)); });
    }),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => { clearTimeout(kill); resolve(); });
      try { child.send({ type: 'stop' }); } catch { child.kill('SIGTERM'); }
    }),
  };
}

/** In a worker: its start arguments and a way to answer. */
export function workerArgs<T>(): T { return JSON.parse(process.argv[2]!) as T; }
export function reply(msg: unknown) { process.send?.(msg); }

export interface EngineHandle { url: string; pid: number; child: ChildProcess; output(): string; stop(): Promise<void> }

/** The bench's dashboards are thousands of sockets of one administrator: lift the per-user limits. */
export const BENCH_SOCKET_LIMITS = { VIREO_MAX_SOCKETS_PER_USER: '1000000', VIREO_MAX_OPERATIONS_PER_USER: '1000000' };

/** `node --import tsx server/main.ts` as `npm start` runs it, without the demo, on a free port. */
export function startEngine(env: Record<string, string>, nodeArgs: string[] = []): Promise<EngineHandle> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', VIREO_DEMO: '0', ...BENCH_SOCKET_LIMITS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`engine did not start:\n${out}`)); }, 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      const url = /GraphQL and GraphiQL: (\S+)/.exec(out)?.[1];
      if (url && /ready in \d+ ms/.test(out)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => { out = (out + c.toString()).slice(-100_000); });
        resolve({
          url, pid: child.pid!, child, output: () => out,
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.once('exit', () => { clearTimeout(kill); done(); });
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`engine exited with ${code}:\n${out}`)); });
  });
}

/** POSTs one GraphQL operation; throws on errors. */
export async function gql(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json() as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

export const BENCH_ADMIN_PASSWORD = 'admin-bench-password';
