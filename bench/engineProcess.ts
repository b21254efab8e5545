// The engine the benchmarks measure, as `npm start` runs it, and GraphQL requests to it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface EngineHandle {
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The bench's dashboards are thousands of sockets of one administrator, and its thousands of agents
 * connect at once from one address: lift the per-user and per-address limits.
 */
export const BENCH_SOCKET_LIMITS = {
  VIREO_MAX_SOCKETS_PER_USER: '1000000',
  VIREO_MAX_OPERATIONS_PER_USER: '1000000',
  VIREO_MAX_ANONYMOUS_SOCKETS: '1000000',
};

/** `node --import tsx server/main.ts` as `npm start` runs it, without the demo, on a free port. */
export function startEngine(env: Record<string, string>, nodeArgs: string[] = []): Promise<EngineHandle> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', VIREO_DEMO: '0', ...BENCH_SOCKET_LIMITS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`engine did not start:\n${out}`));
    }, 120_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      const url = /GraphQL and GraphiQL: (\S+)/.exec(out)?.[1];
      if (url && /ready in \d+ ms/.test(out)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => {
          out = (out + c.toString()).slice(-100_000);
        });
        let stopping = false;
        // An engine that dies during the run says why (the bench's own error comes later, from a failed request).
        child.once('exit', (code, signal) => {
          if (!stopping)
            console.error(`[bench] the engine exited (${code ?? signal}) during the run; its last output:\n${out.slice(-8000)}`);
        });
        resolve({
          url,
          pid: child.pid!,
          child,
          output: () => out,
          stop: () =>
            new Promise((done) => {
              stopping = true;
              if (child.exitCode !== null) return done();
              const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
              child.once('exit', () => {
                clearTimeout(kill);
                done();
              });
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code}:\n${out}`));
    });
  });
}

/** POSTs one GraphQL operation; throws on errors. */
export async function gql(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

export const BENCH_ADMIN_PASSWORD = 'admin-bench-password';
