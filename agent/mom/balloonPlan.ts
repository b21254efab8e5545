// PURE: MOM's balloon and KSM rules (oVirt's default policy, in steps): under the low free-memory
// threshold, each VM with ballooning gives back a quarter of what it has above its guaranteed
// memory per round, never going below it; over the high threshold (or with ballooning off) it
// gets a quarter of its memory back per round until it has all of it; in between nothing moves.
import type { MemoryPolicy } from '../../protocol/messages.ts';

export interface BalloonedVm {
  id: string;
  /** What the guest has now. */
  balloonMb: number;
  memoryMb: number;
  guaranteedMb: number;
  ballooning: boolean;
}

export interface BalloonChange {
  vmId: string;
  fromMb: number;
  toMb: number;
  guaranteedMb: number;
  cause: 'PRESSURE' | 'RELIEF' | 'OFF';
  thresholdPercent: number;
}

/** A round moves a VM by this share of its room, at least MIN_STEP_MB. */
const STEP_FRACTION = 0.25;
const MIN_STEP_MB = 8;
/** Within this of a target counts as there (the guest's balloon driver works in pages). */
const SLACK_MB = 1;

export function freePercent(host: { memUsedMb: number; memFreeMb: number }): number {
  const total = host.memUsedMb + host.memFreeMb;
  return total > 0 ? Math.round((1000 * host.memFreeMb) / total) / 10 : 100;
}

export function planBalloons(policy: MemoryPolicy, free: number, vms: readonly BalloonedVm[]): BalloonChange[] {
  const pressure = policy.ballooning && free < policy.lowFreePercent;
  const relief = !policy.ballooning || free > policy.highFreePercent;
  if (!pressure && !relief) return [];
  const cause = pressure ? 'PRESSURE' : policy.ballooning ? 'RELIEF' : 'OFF';
  const thresholdPercent = pressure ? policy.lowFreePercent : policy.highFreePercent;
  const changes: BalloonChange[] = [];
  for (const vm of vms) {
    const floor = Math.min(vm.memoryMb, Math.max(1, vm.guaranteedMb));
    let toMb = vm.balloonMb;
    if (pressure && vm.ballooning && vm.balloonMb > floor + SLACK_MB) {
      toMb = Math.max(floor, vm.balloonMb - Math.max(MIN_STEP_MB, Math.ceil((vm.balloonMb - floor) * STEP_FRACTION)));
    } else if (relief && vm.balloonMb < vm.memoryMb - SLACK_MB) {
      toMb = Math.min(vm.memoryMb, vm.balloonMb + Math.max(MIN_STEP_MB, Math.ceil(vm.memoryMb * STEP_FRACTION)));
    }
    if (toMb !== vm.balloonMb) changes.push({ vmId: vm.id, fromMb: vm.balloonMb, toMb, guaranteedMb: floor, cause, thresholdPercent });
  }
  return changes;
}

/**
 * KSM's next state, or null to leave it: on under the low threshold when the policy wants it; off
 * over the high one, or when the policy no longer wants it, but only if MOM turned it on (a host's
 * KSM is not MOM's to touch until its policy asks for it).
 */
export function planKsm(policy: MemoryPolicy, free: number, running: boolean | null): boolean | null {
  if (policy.ksm && free < policy.lowFreePercent && running !== true) return true;
  if (running === true && (!policy.ksm || free > policy.highFreePercent)) return false;
  return null;
}
