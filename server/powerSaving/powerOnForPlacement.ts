// When placement finds no room (runVm, a migration, an HA restart, a host's evacuation), power
// saving powers on a host it powered off that would take the VM, through its power management, and
// waits until it is Up with its agent connected; the action then places the VM again. A host already being powered on
// is waited for, not powered on twice. Each step is an event.
import type { Engine } from '../engine.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { runAction } from '../actions/runAction.ts';
import { sayPowerSaving as say } from './events.ts';
import { fenceHost } from '../actions/fencing/fenceHost.ts';
import { sleepingHostFor } from './sleepingHost.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * True when a host was powered on for the VM (or one being powered on came Up): placing it again
 * may now succeed. False when no powered-off host would take it, or powering one on failed.
 * @param what what no Up host can do, for the event ("run", "receive")
 */
export async function powerOnForPlacement(
  engine: Engine,
  vm: { id: string; name: string },
  what: string,
  opts: { exclude?: string[] } = {},
): Promise<boolean> {
  const host = await sleepingHostFor(engine.db, vm.id, opts, engine.scheduler.pending.list());
  return host ? powerOnHost(engine, host.id, vm, what) : false;
}

/** Powers on a host power saving powered off, for the VM (or waits for the power-on under way); true once it is Up. */
export async function powerOnHost(engine: Engine, hostId: string, vm: { id: string; name: string }, what: string): Promise<boolean> {
  const waking = engine.powerSaving.poweringOn;
  let done = waking.get(hostId);
  if (!done) {
    done = powerOn(engine, hostId, vm, what).finally(() => waking.delete(hostId));
    waking.set(hostId, done);
  }
  return (await done) === null;
}

/** Powers the host on and waits for it; null when it is Up, else why not. */
async function powerOn(engine: Engine, hostId: string, vm: { id: string; name: string }, what: string): Promise<string | null> {
  const host = await engine.db.host.findUniqueOrThrow({
    where: { id: hostId },
    select: { id: true, name: true, clusterId: true, cluster: { select: { name: true } } },
  });
  const vars = { clusterName: host.cluster.name, hostName: host.name, vmName: vm.name };
  const objects = { hostId, clusterId: host.clusterId, vmId: vm.id };
  await say(engine, { code: 'POWER_SAVING_HOST_POWERING_ON', vars: { ...vars, what }, objects });
  const started = Date.now();
  let reason: string | null = null;
  try {
    await runAction(engine, SYSTEM_ACTOR, fenceHost, { hostId, action: 'ON' });
    reason = await untilUp(engine, hostId, started + engine.powerSaving.bootTimeoutMs);
  } catch (err) {
    reason = (err as Error).message;
  }
  // Up, or left to an administrator: either way no longer power saving's to power on.
  await engine.db.host.update({
    where: { id: hostId },
    data: { powerSavingOff: false, ...(reason ? { statusReason: `power saving could not power it on: ${reason}` } : {}) },
  });
  engine.pubsub.publish('host:changed', { id: hostId, kind: 'updated' });
  if (reason) await say(engine, { code: 'POWER_SAVING_HOST_POWER_ON_FAILED', vars: { ...vars, reason }, objects });
  else {
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    await say(engine, { code: 'POWER_SAVING_HOST_POWERED_ON', vars: { ...vars, seconds }, objects });
  }
  return reason;
}

/** Waits until the host is Up with its agent's command channel open; null then, else why not by the deadline. */
async function untilUp(engine: Engine, hostId: string, deadline: number): Promise<string | null> {
  for (;;) {
    const h = await engine.db.host.findUniqueOrThrow({ where: { id: hostId }, select: { status: true } });
    if (h.status === 'UP' && engine.hosts.isConnected(hostId)) return null;
    if (Date.now() >= deadline)
      return `it was powered on but is not Up ${Math.round(engine.powerSaving.bootTimeoutMs / 1000)} s later (it is ${h.status}).`;
    await sleep(250);
  }
}
