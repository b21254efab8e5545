// What the engine asks of hosts: one typed verb per agent command (oVirt's VDSM verbs). Each
// resolves when the agent has done it, or throws a HostCommandError saying why not (not
// connected, no answer in time, or the agent's refusal). Callers never build commands.
import type { AgentCommand, DomainSpec, NetworkLayout } from '../../protocol/messages.ts';
import { jobSettings } from '../jobs/settings.ts';
import { CommandBus } from './commandBus.ts';
import { HostCommandError } from './hostCommandError.ts';

/** The host a verb is for: its id routes the command, its name goes into messages. */
export interface HostTarget { id: string; name: string }

export interface StartOptions {
  /** The destination side of a live migration: wait for the source's memory. */
  incomingMigration?: boolean;
  /** Resume a suspended VM from its saved memory. */
  restoreState?: boolean;
}

export class HostBroker extends CommandBus {
  /** Creates and boots the domain (or receives it, for a migration). */
  start(host: HostTarget, spec: DomainSpec, opts: StartOptions = {}): Promise<void> {
    return this.run(host, { type: 'start', spec, incomingMigration: opts.incomingMigration ?? false, restoreState: opts.restoreState });
  }

  /** Powers the VM off at once. */
  destroy(host: HostTarget, vmId: string): Promise<void> {
    return this.run(host, { type: 'destroy', vmId });
  }

  /** Asks the guest to shut down (ACPI). */
  shutdown(host: HostTarget, vmId: string): Promise<void> {
    return this.run(host, { type: 'shutdown', vmId });
  }

  pause(host: HostTarget, vmId: string): Promise<void> {
    return this.run(host, { type: 'pause', vmId });
  }

  resume(host: HostTarget, vmId: string): Promise<void> {
    return this.run(host, { type: 'resume', vmId });
  }

  reboot(host: HostTarget, vmId: string): Promise<void> {
    return this.run(host, { type: 'reboot', vmId });
  }

  /** Suspends to disk: the memory is saved and the domain stops. */
  hibernate(host: HostTarget, vmId: string): Promise<void> {
    return this.run(host, { type: 'hibernate', vmId });
  }

  /**
   * Sends the running VM to `destination` (which must be started with incomingMigration first);
   * `peer`: where the destination's hypervisor takes the migration, as its agent registered it.
   */
  migrate(host: HostTarget, vmId: string, destination: string, peer?: { uri: string; address: string }): Promise<void> {
    return this.run(host, { type: 'migrate', vmId, destination, ...(peer ? { peer } : {}) });
  }

  cancelMigration(host: HostTarget, vmId: string): Promise<void> {
    return this.run(host, { type: 'cancelMigration', vmId });
  }

  /** Live snapshot: the running domain pivots to new overlays and saves its memory. */
  snapshot(host: HostTarget, vmId: string, description: string): Promise<void> {
    return this.run(host, { type: 'snapshot', vmId, description });
  }

  /** Sets the console password (oVirt's setVmTicket); it stops working after validSeconds. */
  setTicket(host: HostTarget, vmId: string, password: string, validSeconds: number): Promise<void> {
    return this.run(host, { type: 'setTicket', vmId, password, validSeconds });
  }

  /** Makes the host's bonds and networks the layout (oVirt's setupNetworks); the agent has reported them when it answers. */
  setupNetworks(host: HostTarget, layout: NetworkLayout): Promise<void> {
    return this.run(host, { type: 'setupNetworks', layout });
  }

  /** Sends one command and waits (jobSettings.commandTimeoutMs at most) for the agent to say it is done. */
  private async run(host: HostTarget, command: AgentCommand): Promise<void> {
    if (!this.reachable(host.id)) throw new HostCommandError(host, command.type, 'NOT_CONNECTED', 'the agent is not connected');
    const timeoutMs = jobSettings.commandTimeoutMs;
    const result = await this.send(host.id, command, timeoutMs);
    if (!result) throw new HostCommandError(host, command.type, 'NO_ANSWER', `no answer from the host agent within ${timeoutMs} ms`);
    if (!result.ok) throw new HostCommandError(host, command.type, 'FAILED', result.error ?? 'the command failed');
  }
}

/** Best effort (an undo step): whether the verb succeeded; its failure is not thrown. */
export function succeeded(verb: Promise<void>): Promise<boolean> {
  return verb.then(() => true, () => false);
}
