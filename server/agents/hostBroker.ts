// What the engine asks of hosts: one typed verb per agent command (oVirt's VDSM verbs). Each
// resolves when the agent has done it, or throws a HostCommandError saying why not (not
// connected, no answer in time, or the agent's refusal). Callers never build commands.
import {
  DiskSources,
  MigrationXml,
  type AgentCommand,
  type CdromMedium,
  type DomainSpec,
  type LiveCopy,
  type LiveMerge,
  type LiveOverlay,
  type MemoryPolicy,
  type NetworkLayout,
  type NicSpec,
} from '../../protocol/messages.ts';
import { StorageResults, type StorageCommand, type StorageResult, type VolumeRef } from '../../protocol/storage.ts';
import { LeaseStatusResult } from '../../protocol/leases.ts';
import type { ZodType } from 'zod';
import { jobSettings } from '../jobs/settings.ts';
import { CommandBus } from './commandBus.ts';
import { HostCommandError } from './hostCommandError.ts';

/** The host a verb is for: its id routes the command, its name goes into messages. */
export interface HostTarget {
  id: string;
  name: string;
}

export interface StartOptions {
  /** The destination side of a live migration: wait for the source's memory. */
  incomingMigration?: boolean;
  /** Resume a suspended VM from its saved memory. */
  restoreState?: boolean;
  /** Incoming migration: the XML the source will send (describeForMigration's answer). */
  domainXml?: string;
}

/** Storage verbs that copy image data (bounded by jobSettings.imageTimeoutMs). */
const COPYING = new Set<StorageCommand['type']>([
  'createVolume',
  'copyVolume',
  'copyImage',
  'mergeVolume',
  'stageVolume',
  'sendStage',
  'receiveStage',
  'convertStage',
  'receiveIsoImage',
]);

export class HostBroker extends CommandBus {
  /**
   * Creates and boots the domain (or receives it, for a migration). Incoming migration: resolves with
   * the XML the destination accepts (its before_vm_migrate_destination hooks' rewrite of domainXml), if it said.
   */
  async start(host: HostTarget, spec: DomainSpec, opts: StartOptions = {}): Promise<string | undefined> {
    const answer = await this.ask(
      host,
      {
        type: 'start',
        spec,
        incomingMigration: opts.incomingMigration ?? false,
        restoreState: opts.restoreState,
        ...(opts.domainXml ? { domainXml: opts.domainXml } : {}),
      },
      jobSettings.commandTimeoutMs,
    );
    return MigrationXml.safeParse(answer).data?.domainXml;
  }

  /** A migration's first step: the running domain's XML, after the source's before_vm_migrate_source hooks. */
  async describeForMigration(host: HostTarget, vmId: string): Promise<string> {
    return (await this.askFor(host, { type: 'describeForMigration', vmId }, MigrationXml)).domainXml;
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
   * `peer`: where the destination's hypervisor takes the migration, as its agent registered it;
   * `domainXml`: the definition the destination accepted.
   */
  migrate(host: HostTarget, vmId: string, destination: string, peer?: { uri: string; address: string }, domainXml?: string): Promise<void> {
    return this.run(host, { type: 'migrate', vmId, destination, ...(peer ? { peer } : {}), ...(domainXml ? { domainXml } : {}) });
  }

  cancelMigration(host: HostTarget, vmId: string): Promise<void> {
    return this.run(host, { type: 'cancelMigration', vmId });
  }

  /** Live snapshot: the running domain pivots to new overlays (and saves its memory). */
  snapshot(host: HostTarget, vmId: string, description: string, overlays: LiveOverlay[], memory: VolumeRef | null): Promise<void> {
    return this.run(host, { type: 'snapshot', vmId, description, overlays, memory });
  }

  /** Live merge: each top volume of the running VM goes down into its base (it may copy a whole volume: the image bound). */
  async merge(host: HostTarget, vmId: string, merges: LiveMerge[]): Promise<void> {
    await this.ask(host, { type: 'merge', vmId, merges }, jobSettings.imageTimeoutMs);
  }

  /** Live disk move: the running VM's disk is mirrored onto the target image and pivots to it (it may copy a whole volume: the image bound). */
  async blockCopy(host: HostTarget, vmId: string, copy: LiveCopy): Promise<void> {
    await this.ask(host, { type: 'blockCopy', vmId, copy }, jobSettings.imageTimeoutMs);
  }

  /** Read only: the image file each disk of the running VM runs from, and the domain, disk and image its path names. */
  async diskSources(host: HostTarget, vmId: string): Promise<DiskSources['disks']> {
    return (await this.askFor(host, { type: 'diskSources', vmId }, DiskSources)).disks;
  }

  /** Sets the console password (oVirt's setVmTicket); it stops working after validSeconds. */
  setTicket(host: HostTarget, vmId: string, password: string, validSeconds: number): Promise<void> {
    return this.run(host, { type: 'setTicket', vmId, password, validSeconds });
  }

  /** Plugs a NIC into the running VM (VDSM's hotplugNic). */
  hotplugNic(host: HostTarget, vmId: string, nic: NicSpec): Promise<void> {
    return this.run(host, { type: 'hotplugNic', vmId, nic });
  }

  /** Unplugs the VM's NIC with this MAC; resolves once the guest has released it. */
  hotunplugNic(host: HostTarget, vmId: string, mac: string): Promise<void> {
    return this.run(host, { type: 'hotunplugNic', vmId, mac });
  }

  /** Moves the running VM's NIC (found by its MAC) to the spec's bridge and link state. */
  updateNic(host: HostTarget, vmId: string, nic: NicSpec): Promise<void> {
    return this.run(host, { type: 'updateNic', vmId, nic });
  }

  /** Changes the medium in a running VM's CD-ROM drive (null: ejects it); VDSM's changeCD. */
  changeCd(host: HostTarget, vmId: string, medium: CdromMedium | null): Promise<void> {
    return this.run(host, { type: 'changeCd', vmId, medium });
  }

  /** Makes the host's bonds and networks the layout (oVirt's setupNetworks); the agent has reported them when it answers. */
  setupNetworks(host: HostTarget, layout: NetworkLayout): Promise<void> {
    return this.run(host, { type: 'setupNetworks', layout });
  }

  /** MOM's policy from the host's cluster (ballooning, thresholds, KSM). */
  setMemoryPolicy(host: HostTarget, policy: MemoryPolicy): Promise<void> {
    return this.run(host, { type: 'setMemoryPolicy', policy });
  }

  /** Soft fencing: the agent answers, then restarts its session (reports start over); its VMs keep running. */
  restartAgent(host: HostTarget): Promise<void> {
    return this.run(host, { type: 'restartAgent' });
  }

  /** How the VM leases of one storage domain stand, as this host sees them (it watches them for a renewal interval). */
  leaseStatus(host: HostTarget, domain: { id: string; path: string }, vmIds: string[]): Promise<LeaseStatusResult> {
    return this.askFor(host, { type: 'leaseStatus', domainId: domain.id, domainPath: domain.path, vmIds }, LeaseStatusResult);
  }

  /**
   * Image work (protocol/storage.ts: volumes, and the staging area of OVA transfers), answered with
   * the verb's typed result. Verbs that copy data get jobSettings.imageTimeoutMs, the others the command bound.
   */
  async storage<T extends StorageCommand['type']>(
    host: HostTarget,
    command: Extract<StorageCommand, { type: T }>,
  ): Promise<StorageResult<T>> {
    const timeoutMs = COPYING.has(command.type) ? jobSettings.imageTimeoutMs : jobSettings.commandTimeoutMs;
    return (await this.askFor(host, command, StorageResults[command.type] as ZodType<unknown>, timeoutMs)) as StorageResult<T>;
  }

  /** Sends one command and reads its answer with `schema` (none: `{}`); an answer that does not fit is the command's failure. */
  private async askFor<T>(
    host: HostTarget,
    command: AgentCommand,
    schema: ZodType<T>,
    timeoutMs = jobSettings.commandTimeoutMs,
  ): Promise<T> {
    const parsed = schema.safeParse((await this.ask(host, command, timeoutMs)) ?? {});
    if (!parsed.success)
      throw new HostCommandError(
        host,
        command.type,
        'FAILED',
        `the agent's answer is not a ${command.type} result: ${parsed.error.message}`,
      );
    return parsed.data;
  }

  /** Sends one command and waits (jobSettings.commandTimeoutMs at most) for the agent to say it is done. */
  private async run(host: HostTarget, command: AgentCommand): Promise<void> {
    await this.ask(host, command, jobSettings.commandTimeoutMs);
  }

  /** Sends one command and waits (timeoutMs at most) for the agent to say it is done; resolves with what it answered. */
  private async ask(host: HostTarget, command: AgentCommand, timeoutMs: number): Promise<unknown> {
    if (!this.reachable(host.id)) throw new HostCommandError(host, command.type, 'NOT_CONNECTED', 'the agent is not connected');
    const result = await this.send(host.id, command, timeoutMs);
    if (!result) throw new HostCommandError(host, command.type, 'NO_ANSWER', `no answer from the host agent within ${timeoutMs} ms`);
    if (!result.ok) throw new HostCommandError(host, command.type, 'FAILED', result.error ?? 'the command failed');
    return result.value;
  }
}

/** Best effort (an undo step): whether the verb succeeded; its failure is not thrown. */
export function succeeded(verb: Promise<void>): Promise<boolean> {
  return verb.then(
    () => true,
    () => false,
  );
}
