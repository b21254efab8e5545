// What the agent needs from a hypervisor. The simulated driver and the libvirt one implement it;
// hooks/hookedDriver.ts runs VDSM's hooks around either.
import type { z } from 'zod';
import type { CdromMedium, DomainReport, DomainSpec, HostCapabilities, HostSample, NetworkLayout, NicSpec } from '../protocol/messages.ts';
import type { FirstBlocks } from './storage/fileStorage.ts';

/** Something that happened to a domain between two polls (libvirt's lifecycle events). */
export interface DomainEvent {
  vmId: string;
  state: DomainReport['state'];
  detail?: string;
}

export interface DriverStats {
  host: HostSample;
  /** Every domain the hypervisor knows, including ones that went Down since the last call (once). */
  domains: DomainReport[];
  /** The hypervisor cannot be reached (libvirt down or refusing), in its words; domains are then unknown. */
  hypervisorError?: string;
}

export interface HypervisorDriver {
  /** CPU, memory, storage, and the NICs, bonds and networks the host has now (fields with a default may be left out). */
  capabilities(): Promise<z.input<typeof HostCapabilities>>;
  listDomains(): Promise<{ id: string; name: string; state: DomainReport['state'] }[]>;
  /**
   * The domain XML the driver would start this definition from (libvirt's; the simulated driver
   * generates the same, to show its hooks). VDSM's hooks read and may rewrite it.
   */
  describe(spec: DomainSpec): string;
  /** The XML of a domain running here (libvirt's dumpxml, migratable). */
  currentDescription(vmId: string): Promise<string>;
  /**
   * Defines and boots a domain; with `incomingMigration` it waits for a migration instead.
   * `domainXml`: start from this XML (what the before_vm_start hooks left) instead of describe(spec);
   * with `restoreState`, the definition to restore the saved memory with (what before_vm_dehibernate left);
   * with `incomingMigration`, what the source will send. Incoming: may resolve with the XML the
   * destination wants instead (what its before_vm_migrate_destination hooks left).
   */
  start(spec: DomainSpec, opts?: { incomingMigration?: boolean; restoreState?: boolean; domainXml?: string }): Promise<string | undefined>;
  /** A migration's first step: the running domain's XML as the destination gets it (after the source's hooks); absent: currentDescription. */
  describeForMigration?(vmId: string): Promise<string>;
  /** The XML kept with a suspended VM's saved memory; drivers without one restore from describe(spec). */
  savedDescription?(spec: DomainSpec): Promise<string>;
  /** Pulls the plug. */
  destroy(vmId: string): Promise<void>;
  /** Kills the domain as sanlock kills a VM whose lease is lost: Down with an error (CRASHED, `message`). Without it: destroy. */
  kill?(vmId: string, message: string): Promise<void>;
  /** Asks the guest to power off (ACPI); the domain goes Down when the guest is done. */
  shutdown(vmId: string): Promise<void>;
  pause(vmId: string): Promise<void>;
  resume(vmId: string): Promise<void>;
  /**
   * Starts a live migration; progress and the outcome come with the following reports. `peer`:
   * where the destination's hypervisor takes it (what the destination reported in its hello).
   * `domainXml`: the definition the destination gets (what the migration hooks left), when it is not the running one's.
   */
  migrate(vmId: string, destination: string, peer?: { uri: string; address: string }, domainXml?: string): Promise<void>;
  /** Stops an outgoing migration; the domain stays (or goes back) Up here. */
  cancelMigration(vmId: string): Promise<void>;
  /** Restarts the guest; the domain stays defined (REBOOT_IN_PROGRESS, then UP). */
  reboot(vmId: string): Promise<void>;
  /** Saves the memory to disk and stops the domain (Down with exit reason SAVED). */
  hibernate(vmId: string): Promise<void>;
  /**
   * Live snapshot. `files.disks`: for each disk image the domain runs on (`source`, by path), the new
   * qcow2 overlay on it the agent has just made, for the running domain to go on over;
   * `files.memory`: where to save the memory too.
   */
  snapshot(
    vmId: string,
    description: string,
    files: { disks: { source: string; overlay: string }[]; memory: string | null },
  ): Promise<void>;
  /**
   * Live merge of one disk (block commit): the data of image `top` (by path) goes down into `base`,
   * the image right under it. `active`: top is the image the domain writes to, and the domain goes
   * on over base (pivot); else the image above top backs onto base. Resolves once top is out of the
   * domain's chain (the agent then removes its file); throws, the chain as it was, if it cannot.
   */
  blockCommit(vmId: string, merge: { top: string; base: string; active: boolean }): Promise<void>;
  /**
   * Live disk move (block copy): the running disk whose image is `source` (by path) is mirrored onto
   * `dest`, an image the agent made (`shallow`: on a copy of source's backing chain, only the running
   * layer is copied; else all the disk reads), then the domain pivots to it. Resolves once the domain
   * runs from dest; throws, the block job aborted and the domain on source, if it cannot.
   */
  blockCopy(vmId: string, copy: { source: string; dest: string; format: 'qcow2' | 'raw'; shallow: boolean }): Promise<void>;
  /**
   * The image file (by path) each disk of the running domain runs from now, by device, and whether a
   * block copy of it is still mirroring (it may yet pivot); throws when the domain does not run.
   */
  diskSources(vmId: string): Promise<{ target: string; source: string; copying: boolean }[]>;
  /**
   * Plugs a NIC into the running domain (refused while it migrates). `xml`: the <interface> to plug
   * (what the before_nic_hotplug hooks left) instead of the one the spec gives.
   */
  hotplugNic(vmId: string, nic: NicSpec, xml?: string): Promise<void>;
  /** Unplugs the domain's NIC with this MAC; resolves once it is gone (the guest released it), throws if it stays. */
  hotunplugNic(vmId: string, mac: string): Promise<void>;
  /** Moves a plugged NIC (found by its MAC) to the spec's bridge and sets its link state, live. */
  updateNic(vmId: string, nic: NicSpec): Promise<void>;
  /** Puts the medium (its `path` resolved on this host) in the running domain's CD-ROM drive, or ejects what is there (null). */
  changeCd(vmId: string, medium: CdromMedium | null): Promise<void>;
  /** Sets the password of the domain's console, valid for `validSeconds`. */
  setTicket(vmId: string, password: string, validSeconds: number): Promise<void>;
  /**
   * Makes the host's bonds and networks what the layout says, as a whole: refuses (throws) a layout
   * it cannot build and then changes nothing. What it built shows in the next capabilities().
   */
  setupNetworks(layout: NetworkLayout): Promise<void>;
  /** Inflates or deflates the domain's balloon so the guest has `memoryMb` (MOM's ballooning). */
  setBalloon(vmId: string, memoryMb: number): Promise<void>;
  /** Starts or stops KSM (kernel same-page merging); false when the host has none (no /sys/kernel/mm/ksm). */
  setKsm?(running: boolean): Promise<boolean>;
  stats(): Promise<DriverStats>;
  /** What a new disk holds on a domain the host only simulates (a simulated guest's first blocks); none: zeros. */
  newDiskContent?: FirstBlocks;
  onEvent(listener: (event: DomainEvent) => void): () => void;
  /** The agent restarts its session (the engine's soft fencing): drop whatever hangs, keep the domains running. */
  restart?(): void;
}
