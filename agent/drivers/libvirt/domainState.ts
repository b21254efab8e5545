// PURE: libvirt's domain state and reason numbers (virDomainState, virDomain*Reason) and its
// lifecycle events, in the engine's terms.
import type { DomainState, ExitReason } from '../../../protocol/messages.ts';

/** While the guest agent has not connected yet, a booted domain is PoweringUp for this long. */
export const POWERING_UP_SECONDS = 60;

export interface StateInput {
  state: number;
  reason: number;
  /** A state the driver is in the middle of (shutdown asked, reboot, save, outgoing migration). */
  transition?: DomainState;
  agentConnected: boolean;
  uptimeSeconds: number;
}

export function domainState(s: StateInput): DomainState {
  switch (s.state) {
    case 1: // running
    case 2: // blocked
      if (s.transition && s.transition !== 'SAVING_STATE') return s.transition;
      if (!s.agentConnected && s.uptimeSeconds < POWERING_UP_SECONDS && s.reason === 1) return 'POWERING_UP';
      return 'UP';
    case 3: // paused
      if (s.transition === 'MIGRATING_FROM' || s.transition === 'SAVING_STATE') return s.transition;
      if (s.reason === 2) return 'MIGRATING_TO'; // paused by an incoming migration
      if (s.reason === 3) return 'SAVING_STATE';
      if (s.reason === 11) return 'WAIT_FOR_LAUNCH';
      return 'PAUSED';
    case 4:
      return 'POWERING_DOWN'; // being shut down
    case 5:
    case 6:
      return 'DOWN';
    case 7:
      return 'PAUSED'; // suspended by the guest (S3)
    default:
      return 'NOT_RESPONDING';
  }
}

/** Why a domain stopped, from the detail of libvirt's `Stopped` lifecycle event. */
export function exitFromEvent(detail: string): { reason: ExitReason; message: string } {
  switch (detail) {
    case 'Shutdown':
      return { reason: 'SHUTDOWN', message: 'the guest powered off' };
    case 'Destroyed':
      return { reason: 'DESTROYED', message: 'the VM was powered off' };
    case 'Crashed':
      return { reason: 'CRASHED', message: 'the guest crashed' };
    case 'Failed':
      return { reason: 'CRASHED', message: 'QEMU exited unexpectedly (the emulator process ended)' };
    case 'Migrated':
      return { reason: 'MIGRATED', message: 'the VM migrated to another host' };
    case 'Saved':
      return { reason: 'SAVED', message: 'the memory was saved to disk' };
    default:
      return { reason: 'CRASHED', message: `the domain stopped (${detail || 'no reason given'})` };
  }
}
