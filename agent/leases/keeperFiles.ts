// Where a host's agent and its lease keeper find each other: PID files beside the host's record of
// held leases, `<data dir>/agents/<host>/agent.pid` and `lease-keeper.pid`, and the keeper's log.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { hostDataDir } from '../storage/domainLayout.ts';

export function hostStateDir(hostName: string): string {
  return path.join(hostDataDir(), 'agents', hostName);
}

export const agentPidPath = (hostName: string) => path.join(hostStateDir(hostName), 'agent.pid');
export const keeperPidPath = (hostName: string) => path.join(hostStateDir(hostName), 'lease-keeper.pid');
export const keeperLogPath = (hostName: string) => path.join(hostStateDir(hostName), 'lease-keeper.log');

export function writePid(file: string, pid = process.pid): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${pid}\n`);
}

/**
 * The PID the file names, when that process is alive (not a zombie) and, on Linux, its command line
 * has every one of `args`, as an argument or a file's name (so a PID the system gave to another
 * process since is not taken for it).
 */
export function livePid(file: string, args: readonly string[] = []): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  let stat: string;
  let cmdline: string[];
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return process.platform === 'linux' ? null : pid;
  }
  if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return null;
  return args.every((a) => cmdline.some((c) => c === a || c.endsWith(`/${a}`))) ? pid : null;
}

/** The host's lease keeper's PID, when it runs. */
export const liveKeeper = (hostName: string) => livePid(keeperPidPath(hostName), ['keeperMain.ts', hostName]);
