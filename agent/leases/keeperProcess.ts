// Starting a host's lease keeper (leaseKeeper.ts) from its agent: one per host, detached so that it
// outlives the agent, its output appended to `<data dir>/agents/<host>/lease-keeper.log`.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { hostStateDir, keeperLogPath, keeperPidPath, liveKeeper, writePid } from './keeperFiles.ts';

/** Starts the host's lease keeper unless one runs already; `uri`: the host's libvirt. */
export function ensureLeaseKeeper(hostName: string, uri: string, log: (m: string) => void): void {
  if (liveKeeper(hostName) !== null) return;
  mkdirSync(hostStateDir(hostName), { recursive: true });
  const out = openSync(keeperLogPath(hostName), 'a');
  const child = spawn(
    process.execPath,
    [...process.execArgv, path.join(import.meta.dirname, 'keeperMain.ts'), '--name', hostName, '--connect', uri],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  if (child.pid === undefined) {
    log(`could not start the lease keeper of host ${hostName}`);
    return;
  }
  // Written now too, so the next check does not start a second one while this one starts.
  writePid(keeperPidPath(hostName), child.pid);
  child.unref();
  log(`started the lease keeper of host ${hostName} (PID ${child.pid})`);
}
