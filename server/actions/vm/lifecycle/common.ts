// What the VM lifecycle actions share: loading the VM, the status checks (as reason codes),
// and following a VM to a status.
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import type { Engine } from '../../../engine.ts';
import type { FollowOutcome } from '../../defineAction.ts';
import type { Tx } from '../../../db.ts';
import type { Reason } from '../../../errors.ts';
import { found, refuseWhen } from '../../../validators/reasons.ts';
import { jobSettings } from '../../../jobs/settings.ts';
import type { WatchedVm } from '../../../jobs/vmWatch.ts';

export const vmWithHost = { cluster: { select: { id: true, name: true, dataCenterId: true } }, host: { select: { id: true, name: true, status: true } } } as const;

async function queryVm(tx: Tx, vmId: string) {
  return found(await tx.vm.findUnique({ where: { id: vmId }, include: vmWithHost }), 'VM', vmId);
}
export type LoadedVm = Awaited<ReturnType<typeof queryVm>>;

/** Rows read in one transaction, by VM id: validate(), describe() and prepare() read the same VM. */
const readInTx = new WeakMap<Tx, Map<string, Promise<LoadedVm>>>();

/** The VM with its cluster and host, read once per transaction (the actions change it only after their last read). */
export function loadVm(tx: Tx, vmId: string): Promise<LoadedVm> {
  let rows = readInTx.get(tx);
  if (!rows) { rows = new Map(); readInTx.set(tx, rows); }
  let row = rows.get(vmId);
  if (!row) { row = queryVm(tx, vmId); rows.set(vmId, row); }
  return row;
}

/** The VM is in one of `allowed`; otherwise a reason saying what it is. */
export function vmStatusIn(vm: { name: string; status: VmStatus }, allowed: readonly VmStatus[], doing: string): Reason | null {
  if (allowed.includes(vm.status)) return null;
  if (vm.status === 'IMAGE_LOCKED') return { code: 'VM_IS_LOCKED', message: `VM ${vm.name} is locked by another operation.` };
  const running = vm.status !== 'DOWN' && vm.status !== 'SUSPENDED';
  const code = allowed.includes('DOWN') && running ? 'VM_IS_RUNNING' : allowed.includes('UP') && !running ? 'VM_IS_NOT_RUNNING' : 'VM_STATUS_ILLEGAL';
  return { code, message: `VM ${vm.name} is ${vm.status}; cannot ${doing} it.` };
}

/** External VMs were found on a host, not defined here: the engine does not drive them. */
export function notExternal(vm: { name: string; external: boolean }): Reason | null {
  return refuseWhen(vm.external, 'VM_IS_EXTERNAL', `VM ${vm.name} is external; it is managed outside the engine.`);
}

/** Follows a VM until it reaches one of `success` (ok) or `failure` statuses, within the outcome bound. */
export async function followUntil(engine: Engine, vmId: string, success: (vm: WatchedVm) => boolean, failure: (vm: WatchedVm) => boolean, timeoutMs = jobSettings.outcomeTimeoutMs) {
  return engine.vmWatch.wait(vmId, (vm) => vm === null || success(vm) || failure(vm), timeoutMs);
}

/** A follow for the quick verbs (pause, resume…): done when monitoring sees the status. */
export async function followStatus(engine: Engine, vmId: string, statuses: readonly VmStatus[], what: string): Promise<FollowOutcome> {
  const { vm, timedOut } = await followUntil(engine, vmId, (v) => statuses.includes(v.status), (v) => v.status === 'DOWN');
  if (timedOut) return { ok: false, step: `${what}: no report within ${Math.round(jobSettings.outcomeTimeoutMs / 1000)} s` };
  if (!vm || !statuses.includes(vm.status)) return { ok: false, step: `${what}: the VM is ${vm?.status ?? 'gone'}` };
  return { ok: true };
}
