// Placement as the lifecycle actions use it: the decision, or a refusal that says per host why.
import type { Engine } from '../../../engine.ts';
import type { Tx } from '../../../db.ts';
import type { Reason } from '../../../errors.ts';
import { ValidationError } from '../../../errors.ts';
import { Scheduler } from '../../../scheduler/scheduler.ts';
import type { ActionContext } from '../../defineAction.ts';
import type { PlaceOptions, Placement } from '../../../scheduler/scheduler.ts';
import { haReservationProblem } from '../../../scheduler/haReservation.ts';

/** The reasons of a refused placement: one saying so (a whole sentence), then one per host that was filtered out. */
export function noHostReasons(p: Placement, vmName: string, what: string): Reason[] {
  const none = p.rejections.length ? '' : ': the cluster has no host to choose from';
  return [
    { code: 'VM_NO_HOST_AVAILABLE', message: `No host can ${what} VM ${vmName}${none}.` },
    ...p.rejections.map((r) => ({ code: r.code, message: r.message })),
  ];
}

/**
 * Dry run: the reasons a placement would be refused, or nothing. The `can…` queries run without
 * the engine's scheduler, so they do not see starts in flight; the real run does.
 */
export async function placementCheck(
  ctx: ActionContext,
  vmId: string,
  vmName: string,
  what: string,
  opts: PlaceOptions,
  /** More checks of the host chosen (the cluster's HA reservation). */
  then?: (hostId: string) => Promise<Reason[]>,
): Promise<Reason[]> {
  const scheduler = ctx.dryRun ? new Scheduler() : ctx.engine.scheduler;
  const p = await scheduler.place(ctx.tx, vmId, { ...opts, reserve: false });
  if (!p.hostId) return noHostReasons(p, vmName, what);
  return then ? then(p.hostId) : [];
}

/**
 * The cluster's HA reservation with the VM running on the host: refused when the cluster could no
 * longer restart the highly available VMs of one of its hosts. The engine's own HA restarts use the
 * room the reservation kept, so they are never refused by it.
 */
export async function reservationKept(
  ctx: Pick<ActionContext, 'tx' | 'actor'>,
  vm: { id: string; name: string; clusterId: string; memoryMb: number; highlyAvailable: boolean },
  hostId: string,
  what: string,
): Promise<Reason[]> {
  if (ctx.actor.internal) return [];
  const problem = await haReservationProblem(ctx.tx, vm.clusterId, {
    vmId: vm.id,
    hostId,
    memoryMb: vm.memoryMb,
    highlyAvailable: vm.highlyAvailable,
  });
  return problem
    ? [{ code: 'HA_RESERVATION_BROKEN', message: `To ${what} VM ${vm.name} would break its cluster's HA reservation: ${problem}.` }]
    : [];
}

/** Chooses and reserves a host, or refuses the action with the per-host reasons. */
export async function place(
  engine: Engine,
  tx: Tx,
  title: string,
  vmId: string,
  vmName: string,
  what: string,
  opts: PlaceOptions,
): Promise<Placement & { hostId: string }> {
  const p = await engine.scheduler.place(tx, vmId, opts);
  if (!p.hostId) throw new ValidationError(title, noHostReasons(p, vmName, what));
  return p as Placement & { hostId: string };
}
