// Following a VM, as monitoring sees it, until it reaches a status.
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import type { Engine } from '../../../engine.ts';
import type { FollowOutcome } from '../../defineAction.ts';
import { jobSettings } from '../../../jobs/settings.ts';
import type { WatchedVm } from '../../../jobs/vmWatch.ts';

/** Follows a VM until it reaches one of `success` (ok) or `failure` statuses, within the outcome bound. */
export async function followUntil(
  engine: Engine,
  vmId: string,
  success: (vm: WatchedVm) => boolean,
  failure: (vm: WatchedVm) => boolean,
  timeoutMs = jobSettings.outcomeTimeoutMs,
) {
  return engine.vmWatch.wait(vmId, (vm) => vm === null || success(vm) || failure(vm), timeoutMs);
}

/** A follow for the quick verbs (pause, resume…): done when monitoring sees the status. */
export async function followStatus(engine: Engine, vmId: string, statuses: readonly VmStatus[], what: string): Promise<FollowOutcome> {
  const { vm, timedOut } = await followUntil(
    engine,
    vmId,
    (v) => statuses.includes(v.status),
    (v) => v.status === 'DOWN',
  );
  if (timedOut) return { ok: false, step: `${what}: no report within ${Math.round(jobSettings.outcomeTimeoutMs / 1000)} s` };
  if (!vm || !statuses.includes(vm.status)) return { ok: false, step: `${what}: the VM is ${vm?.status ?? 'gone'}` };
  return { ok: true };
}
