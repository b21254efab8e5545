// Power saving carries out a planned power-off (server/balancer/powerOffs.ts): the empty host is
// put into maintenance (maintenanceHost, which would migrate away a VM started meanwhile), checked
// empty again, powered off through its power management (fenceHost OFF), then left Down and marked
// as power saving's, so placement powers it on again when it needs room. A step that fails puts
// the host back Up (activateHost) and says why.
import type { Engine } from '../engine.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { runAction, startAction } from '../actions/runAction.ts';
import { sayPowerSaving as say } from './events.ts';
import { maintenanceHost } from '../actions/host/maintenanceHost.ts';
import { activateHost } from '../actions/host/activateHost.ts';
import { fenceHost } from '../actions/fencing/fenceHost.ts';
import { haReservationProblem } from '../scheduler/haReservation.ts';
import { lockKey } from '../actions/locks.ts';
import type { PlannedPowerOff } from '../balancer/types.ts';

export async function powerOffIdleHost(engine: Engine, cluster: { id: string; name: string }, off: PlannedPowerOff): Promise<boolean> {
  const objects = { hostId: off.hostId, clusterId: cluster.id };
  const vars = { clusterName: cluster.name, hostName: off.hostName };
  await say(engine, { code: 'POWER_SAVING_HOST_POWERING_OFF', vars: { clusterName: cluster.name, reason: off.reason }, objects });
  let entered = false;
  const refused = async (reason: string) => {
    if (entered) await runAction(engine, SYSTEM_ACTOR, activateHost, { hostId: off.hostId }).catch(() => {});
    await say(engine, { code: 'POWER_SAVING_HOST_POWER_OFF_FAILED', vars: { ...vars, reason }, objects });
    return false;
  };
  try {
    const maintenance = await startAction(engine, SYSTEM_ACTOR, maintenanceHost, { hostId: off.hostId });
    entered = true;
    if (!(await maintenance.outcome)) return refused('its move to maintenance failed.');
    // The maintenance holds the host's lock until its outcome; with Redis its release may lag a moment.
    for (let waited = 0; waited < 5000 && (await engine.locks.isHeld(lockKey('Host', off.hostId))); waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    const running = await engine.db.vm.count({
      where: { OR: [{ hostId: off.hostId }, { migratingToHostId: off.hostId }], status: { notIn: ['DOWN', 'SUSPENDED'] } },
    });
    if (running) return refused(`it has ${running} VM(s) again.`);
    const problem = await haReservationProblem(engine.db, cluster.id);
    if (problem) return refused(`without it ${problem}.`);
    const result = await runAction(engine, SYSTEM_ACTOR, fenceHost, { hostId: off.hostId, action: 'OFF' });
    // Down, not Maintenance: a host in maintenance is expected to report, and this one is off on purpose.
    await engine.db.host.update({
      where: { id: off.hostId },
      data: { status: 'DOWN', statusReason: `powered off by power saving through ${result.agent}`, powerSavingOff: true, emptySince: null },
    });
    engine.pubsub.publish('host:changed', { id: off.hostId, kind: 'updated' });
    await say(engine, { code: 'POWER_SAVING_HOST_POWERED_OFF', vars: { ...vars, agent: result.agent }, objects });
    return true;
  } catch (err) {
    return refused((err as Error).message.replace(/\.?$/, '.'));
  }
}
