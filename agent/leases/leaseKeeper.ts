// A host's lease keeper (sanlock's daemon, apart from VDSM): a small process of its own, started by
// the agent on a libvirt host, whose QEMU processes outlive the agent. While the agent lives it
// renews its VMs' leases itself and the keeper only watches; once the agent is gone (killed,
// crashed, stopped for an upgrade) the keeper renews the leases the host recorded as held, so VMs
// still running here are never started elsewhere meanwhile, and kills a VM whose lease it cannot
// renew (vmLeases.ts), so by the time that lease expires nothing runs it here. When an agent is
// back, the keeper stands down and the agent goes on renewing from where the files stand. With
// the agent gone and no lease held, the keeper ends.
import { setTimeout as sleep } from 'node:timers/promises';
import { rmSync } from 'node:fs';
import { readHeldLeases } from './heldLeases.ts';
import { agentPidPath, keeperPidPath, liveKeeper, livePid, writePid } from './keeperFiles.ts';
import { type LeaseDriver, VmLeases } from './vmLeases.ts';

export interface LeaseKeeperOptions {
  hostName: string;
  driver: LeaseDriver;
  log: (m: string) => void;
  /** How often it looks whether the agent lives. */
  checkMs?: number;
  /** How long the agent must be gone, with no lease held, before the keeper ends. */
  lingerMs?: number;
}

export async function runLeaseKeeper(o: LeaseKeeperOptions): Promise<void> {
  const checkMs = o.checkMs ?? 200;
  const lingerMs = o.lingerMs ?? 10_000;
  writePid(keeperPidPath(o.hostName));
  const first = livePid(agentPidPath(o.hostName));
  o.log(`watching ${agentPidPath(o.hostName)}: ${first === null ? 'no agent runs' : `agent ${first} runs`}`);
  let standIn: VmLeases | null = null;
  let goneSince: number | null = null;
  for (;;) {
    const agent = livePid(agentPidPath(o.hostName));
    if (agent !== null) {
      goneSince = null;
      if (standIn) {
        standIn.stop();
        standIn = null;
        o.log(`agent ${agent} is back: it renews the leases`);
      }
    } else {
      goneSince ??= Date.now();
      const recorded = Object.keys(await readHeldLeases(o.hostName).catch(() => ({}))).length;
      if (!standIn && recorded) {
        standIn = new VmLeases(o.hostName, o.driver, o.log);
        o.log('the agent is gone: renewing the leases of the VMs still running here');
        try {
          await standIn.resume();
        } catch (e) {
          // libvirt not answering, say: the recorded leases stay, tried again a little later.
          o.log(`could not resume the leases: ${(e as Error).message}`);
          await sleep(10 * checkMs);
        }
      }
      if (standIn && !standIn.count) standIn = null;
      if (!standIn && !recorded && Date.now() - goneSince >= lingerMs) break;
    }
    await sleep(checkMs);
  }
  // Only this keeper's own file: a new one may have started meanwhile.
  if (liveKeeper(o.hostName) === process.pid) rmSync(keeperPidPath(o.hostName), { force: true });
  o.log('no agent and no lease held: the keeper ends');
}
