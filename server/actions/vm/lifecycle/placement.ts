// Placement as the lifecycle actions use it: the decision, or a refusal that says per host why.
import type { Engine } from '../../../engine.ts';
import type { Tx } from '../../../db.ts';
import type { Reason } from '../../../errors.ts';
import { ValidationError } from '../../../errors.ts';
import { Scheduler } from '../../../scheduler/scheduler.ts';
import type { ActionContext } from '../../defineAction.ts';
import type { PlaceOptions, Placement } from '../../../scheduler/scheduler.ts';

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
): Promise<Reason[]> {
  const scheduler = ctx.dryRun ? new Scheduler() : ctx.engine.scheduler;
  const p = await scheduler.place(ctx.tx, vmId, { ...opts, reserve: false });
  return p.hostId ? [] : noHostReasons(p, vmName, what);
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
