// The status checks the VM actions share, as reason codes.
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import type { Reason } from '../../../errors.ts';
import { refuseWhen } from '../../../validators/reasons.ts';

/**
 * The VM is in one of `allowed`; otherwise a reason saying what it is. `doing` names the action
 * with the VM as "it": 'run it', 'shut it down', 'open its console'.
 */
export function vmStatusIn(vm: { name: string; status: VmStatus }, allowed: readonly VmStatus[], doing: string): Reason | null {
  if (allowed.includes(vm.status)) return null;
  if (vm.status === 'IMAGE_LOCKED') return { code: 'VM_IS_LOCKED', message: `VM ${vm.name} is locked by another operation.` };
  const running = vm.status !== 'DOWN' && vm.status !== 'SUSPENDED';
  const code =
    allowed.includes('DOWN') && running ? 'VM_IS_RUNNING' : allowed.includes('UP') && !running ? 'VM_IS_NOT_RUNNING' : 'VM_STATUS_ILLEGAL';
  return { code, message: `VM ${vm.name} is ${vm.status}; cannot ${doing}.` };
}

/** External VMs were found on a host, not defined here: the engine does not drive them. */
export function notExternal(vm: { name: string; external: boolean }): Reason | null {
  return refuseWhen(vm.external, 'VM_IS_EXTERNAL', `VM ${vm.name} is external; it is managed outside the engine.`);
}
