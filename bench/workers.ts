// Bench workers (bench/*.ts) in their own Node processes, talking over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './engineProcess.ts';

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
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, ((m: any) => void)[]>();
  const queued: any[] = [];
  child.on('message', (m: any) => {
    const w = waiting.get(m.type);
    if (w?.length) w.shift()!(m);
    else queued.push(m);
  });
  return {
    child,
    send: (msg) => child.send(msg as any),
    next: (type, timeoutMs = 120_000) =>
      new Promise((resolve, reject) => {
        const i = queued.findIndex((m) => m.type === type);
        if (i >= 0) return resolve(queued.splice(i, 1)[0]);
        const timer = setTimeout(() => reject(new Error(`${file}: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
        const list = waiting.get(type) ?? [];
        list.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
        waiting.set(type, list);
        child.once('exit', () => {
          clearTimeout(timer);
          reject(new Error(`${file} exited`));
        });
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        try {
          child.send({ type: 'stop' });
        } catch {
          child.kill('SIGTERM');
        }
      }),
  };
}

/** In a worker: its start arguments and a way to answer. */
export function workerArgs<T>(): T {
  return JSON.parse(process.argv[2]!) as T;
}
export function reply(msg: unknown) {
  process.send?.(msg);
}
