// Placement as the lifecycle actions use it: the decision, or a refusal that says per host why.
import type { Engine } from '../../../engine.ts';
import type { Tx } from '../../../db.ts';
import type { Reason } from '../../../errors.ts';
import { ValidationError } from '../../../errors.ts';
import { Scheduler } from '../../../scheduler/scheduler.ts';
import type { ActionContext } from '../../defineAction.ts';
import type { PlaceOptions, Placement } from '../../../scheduler/scheduler.ts';
import { haReservationProblem } from '../../../scheduler/haReservation.ts';
import { sleepingHostFor } from '../../../powerSaving/sleepingHost.ts';
import { powerOnForPlacement } from '../../../powerSaving/powerOnForPlacement.ts';

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
  if (p.hostId) return then ? then(p.hostId) : [];
  // Power saving would power on a host it powered off that takes the VM (makeRoom below).
  if (!opts.hostId && (await sleepingHostFor(ctx.tx, vmId, opts, []))) return [];
  return noHostReasons(p, vmName, what);
}

/**
 * makeRoom of the placing actions: when no Up host could take the VM (or taking it would break the
 * HA reservation) and the user chose none, power saving powers on a host it powered off that would.
 */
export async function powerOnForRoom(
  engine: Engine,
  vmId: string,
  chosenHostId: string | null | undefined,
  refusal: ValidationError,
  what: string,
  exclude: string[] = [],
): Promise<boolean> {
  if (chosenHostId || !refusal.reasons.some((r) => r.code === 'VM_NO_HOST_AVAILABLE' || r.code === 'HA_RESERVATION_BROKEN')) return false;
  const vm = await engine.db.vm.findUniqueOrThrow({ where: { id: vmId }, select: { id: true, name: true } });
  return powerOnForPlacement(engine, vm, what, { exclude });
}

/**
 * The cluster's HA reservation with the VM running on the host: refused when the cluster could no
 * longer restart the highly available VMs of one of its hosts. `exempt`: not checked (the engine's
 * own HA restarts use the room the reservation kept; a host's evacuation takes it out whatever the
 * VMs' destinations).
 */
export async function reservationKept(
  ctx: Pick<ActionContext, 'tx'>,
  vm: { id: string; name: string; clusterId: string; memoryMb: number; highlyAvailable: boolean },
  hostId: string,
  what: string,
  exempt: boolean,
): Promise<Reason[]> {
  if (exempt) return [];
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
