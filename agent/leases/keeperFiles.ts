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

/** The PID the file names, when that process is alive; else null. */
export function livePid(file: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
