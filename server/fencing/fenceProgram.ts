// Runs one standard fence-agent program (Debian's fence-agents: fence_ipmilan, fence_virsh,
// fence_redfish…) as Pacemaker and oVirt do: the arguments as key=value lines on stdin, the
// answer in the exit status (status: 0 on, 2 off, anything else a failure; on/off/reboot: 0 done).
// The password goes to the program on stdin only and is masked in everything it prints back.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type FenceAction = 'status' | 'on' | 'off' | 'reboot';
export type PowerState = 'ON' | 'OFF';

/** What the program needs to reach the device; `password` in clear, only in memory. */
export interface FenceTarget {
  type: string;
  address: string;
  port: string;
  username: string;
  password: string;
  options: Record<string, string>;
}

export interface FenceProgramSettings {
  /** Folders searched for `fence_<type>` (default: Debian's /usr/sbin, /sbin, /usr/bin, /bin). */
  searchPath: string[];
  /** How long one run may take before it is killed. */
  timeoutMs: number;
}

export const DEFAULT_SEARCH_PATH = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

export interface FenceRun {
  ok: boolean;
  /** For status: the power state the device reported. */
  power?: PowerState;
  /** Why it failed, in the program's words (password masked). */
  message: string;
}

/** Option keys the engine sets itself; an agent's options may not override them. */
export const RESERVED_OPTIONS = ['action', 'ip', 'ipaddr', 'username', 'login', 'password', 'passwd', 'port', 'plug', 'nodename'];

/** The program of a type, or null when none of the folders has it executable. */
export function findFenceProgram(type: string, searchPath: string[]): string | null {
  if (!/^[a-z0-9_]+$/.test(type)) return null;
  for (const dir of searchPath) {
    const file = path.join(dir, `fence_${type}`);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      /* next folder */
    }
  }
  return null;
}

/** The stdin of one run: one key=value a line. */
export function fenceStdin(target: FenceTarget, action: FenceAction): string {
  const lines: [string, string][] = [
    ['action', action],
    ['ip', target.address],
    ...(target.username ? ([['username', target.username]] as [string, string][]) : []),
    ...(target.password ? ([['password', target.password]] as [string, string][]) : []),
    ...(target.port ? ([['port', target.port]] as [string, string][]) : []),
    ...Object.entries(target.options),
  ];
  return lines.map(([k, v]) => `${k}=${v}\n`).join('');
}

/** `text` with every occurrence of the secret replaced. */
export function mask(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}

export async function runFenceProgram(target: FenceTarget, action: FenceAction, settings: FenceProgramSettings): Promise<FenceRun> {
  const program = findFenceProgram(target.type, settings.searchPath);
  if (!program) return { ok: false, message: `no fence agent program fence_${target.type} in ${settings.searchPath.join(':')}` };
  return new Promise<FenceRun>((resolve) => {
    const child = spawn(program, [], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    let out = '';
    const keep = (b: Buffer) => {
      if (out.length < 16_384) out += b.toString();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), settings.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, message: mask(`fence_${target.type} could not run: ${err.message}`, target.password) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = mask(out.trim(), target.password).split('\n').slice(-10).join(' ').slice(-1000);
      if (signal) return resolve({ ok: false, message: `fence_${target.type} ${action} gave no answer within ${settings.timeoutMs} ms` });
      if (action === 'status' && (code === 0 || code === 2)) return resolve({ ok: true, power: code === 0 ? 'ON' : 'OFF', message: said });
      if (code === 0) return resolve({ ok: true, message: said });
      resolve({ ok: false, message: `fence_${target.type} ${action} failed (exit ${code})${said ? `: ${said}` : ''}` });
    });
    child.stdin.on('error', () => {
      /* the program may exit before reading everything; its exit status says what happened */
    });
    child.stdin.end(fenceStdin(target, action));
  });
}
