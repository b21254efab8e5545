// The agent <-> engine contract. Both sides parse every message with these schemas, so a
// version skew shows up as a clear validation error instead of a half-applied report.
import { z } from 'zod';
import { DomainHealth, IsoName, StorageCommand, VolumeFormat, VolumeRef, bytes } from './storage.ts';
import { LeaseStatusCommand, VmLease } from './leases.ts';

export const PROTOCOL_VERSION = 1;

/** Domain states a hypervisor reports; each is also a value of the engine's VmStatus. */
export const DomainState = z.enum([
  'WAIT_FOR_LAUNCH',
  'POWERING_UP',
  'UP',
  'POWERING_DOWN',
  'PAUSED',
  'MIGRATING_FROM',
  'MIGRATING_TO',
  'REBOOT_IN_PROGRESS',
  'NOT_RESPONDING',
  'SAVING_STATE',
  'RESTORING_STATE',
  'DOWN',
]);
export type DomainState = z.infer<typeof DomainState>;

/** Why a domain is Down, reported once with its last sample. */
export const ExitReason = z.enum(['SHUTDOWN', 'DESTROYED', 'CRASHED', 'MIGRATED', 'FAILED_TO_START', 'SAVED']);
export type ExitReason = z.infer<typeof ExitReason>;

/** How a bond shares its NICs: one active at a time, or IEEE 802.3ad link aggregation (LACP). */
export const BondMode = z.enum(['active-backup', '802.3ad']);
export type BondMode = z.infer<typeof BondMode>;

/**
 * A host's network layout, as data: bonds of two or more NICs, and the logical networks each NIC
 * or bond carries (untagged, or on the network's VLAN), with the network's MTU. The engine asks
 * for one with `setupNetworks`; an agent reports the one it has. How a driver makes it is its own
 * business (in memory for the simulated driver, Linux bridges and bonds for a real host).
 */
export const NetworkLayout = z.object({
  bonds: z.array(z.object({ name: z.string().min(1), mode: BondMode, nics: z.array(z.string().min(1)) })),
  networks: z.array(
    z.object({
      name: z.string().min(1),
      /** The NIC or bond that carries it. */
      nic: z.string().min(1),
      vlanId: z.number().int().min(0).max(4094).nullable(),
      mtu: z.number().int().min(68).max(65535),
      /** A VM network: VMs plug into it (a bridge on a Linux host). */
      vmNetwork: z.boolean(),
    }),
  ),
});
export type NetworkLayout = z.infer<typeof NetworkLayout>;

export const EMPTY_NETWORK_LAYOUT: NetworkLayout = { bonds: [], networks: [] };

/** What the host is (DMI, as `virsh sysinfo` reads it), what it runs, and its NUMA nodes. */
export const HostHardware = z.object({
  vendor: z.string().max(255),
  product: z.string().max(255),
  serial: z.string().max(255),
  kernel: z.string().max(255),
  libvirtVersion: z.string().max(64),
  qemuVersion: z.string().max(64),
  numa: z
    .array(
      z.object({
        node: z.number().int().nonnegative(),
        cpus: z.array(z.number().int().nonnegative()).max(4096),
        memoryMb: z.number().int().nonnegative(),
      }),
    )
    .max(256),
});
export type HostHardware = z.infer<typeof HostHardware>;

export const HostCapabilities = z.object({
  cpu: z.object({
    model: z.string(),
    sockets: z.number().int().positive(),
    coresPerSocket: z.number().int().positive(),
    threadsPerCore: z.number().int().positive(),
  }),
  memoryMb: z.number().int().nonnegative(),
  osVersion: z.string(),
  nics: z.array(
    z.object({
      name: z.string().min(1),
      macAddress: z.string(),
      speedMbps: z.number().int().nonnegative(),
      mtu: z.number().int().positive().default(1500),
    }),
  ),
  /** The bonds and the networks the host has now. */
  network: NetworkLayout.default(EMPTY_NETWORK_LAYOUT),
  /** The NIC or bond the agent's connection to the engine goes through (the management network's). */
  connectedVia: z.string().optional(),
  storage: z.array(
    z.object({ path: z.string(), kind: z.string(), capacityBytes: z.number().nonnegative(), usedBytes: z.number().nonnegative() }),
  ),
  /** Where other hosts' hypervisors reach this one for a live migration (libvirt's peer URI, and the address of the memory stream). */
  migration: z.object({ uri: z.string().min(1), address: z.string().min(1) }).optional(),
  /** Vendor, product, serial, kernel, libvirt and QEMU versions, NUMA nodes (older agents: absent). */
  hardware: HostHardware.optional(),
  /** The VDSM hooks installed in the agent's hooks folder: event (folder), file name, SHA-256. */
  hooks: z
    .array(z.object({ event: z.string().min(1).max(255), name: z.string().min(1).max(255), checksum: z.string().max(128) }))
    .max(1000)
    .optional(),
});
export type HostCapabilities = z.infer<typeof HostCapabilities>;

export const HostSample = z.object({
  cpuUserPercent: z.number().min(0).max(100),
  cpuSysPercent: z.number().min(0).max(100),
  cpuIdlePercent: z.number().min(0).max(100),
  cpuLoad: z.number().nonnegative(),
  memUsedMb: z.number().int().nonnegative(),
  memFreeMb: z.number().int().nonnegative(),
  swapUsedMb: z.number().int().nonnegative(),
  netRxBps: z.number().nonnegative(),
  netTxBps: z.number().nonnegative(),
});
export type HostSample = z.infer<typeof HostSample>;

/** What the guest agent inside the VM tells; null until the guest has booted far enough. */
export const GuestInfo = z.object({
  hostname: z.string(),
  ips: z.array(z.string()),
  memUsedMb: z.number().int().nonnegative(),
  applications: z.array(z.string()),
  loggedInUser: z.string(),
});
export type GuestInfo = z.infer<typeof GuestInfo>;

export const VmSample = z.object({
  cpuPercent: z.number().nonnegative(),
  netRxBps: z.number().nonnegative(),
  netTxBps: z.number().nonnegative(),
  diskReadBps: z.number().nonnegative(),
  diskWriteBps: z.number().nonnegative(),
  uptimeSeconds: z.number().int().nonnegative(),
});
export type VmSample = z.infer<typeof VmSample>;

/** The remote console of a running domain; an empty address means every address of the host. */
export const DisplayInfo = z.object({
  type: z.enum(['VNC', 'SPICE']),
  address: z.string(),
  port: z.number().int().min(1).max(65535),
  tlsPort: z.number().int().min(1).max(65535).nullable(),
  /** The WebSocket port of a VNC console (QEMU's websocket option), for browser clients. */
  websocketPort: z.number().int().min(1).max(65535).nullable().optional(),
});
export type DisplayInfo = z.infer<typeof DisplayInfo>;

export const DomainReport = z.object({
  id: z.uuid(),
  name: z.string(),
  state: DomainState,
  exitReason: ExitReason.optional(),
  exitMessage: z.string().optional(),
  memoryMb: z.number().int().nonnegative(),
  /** The memory the guest has now (its balloon's size), when the hypervisor knows it. */
  balloonMb: z.number().int().nonnegative().optional(),
  vcpus: z.number().int().positive(),
  sample: VmSample,
  guest: GuestInfo.nullable(),
  display: DisplayInfo.nullable().optional(),
  /** Outgoing migration: percent done, while MIGRATING_FROM. */
  migrationProgress: z.number().int().min(0).max(100).optional(),
  /** Why the last outgoing migration failed; reported once, with the domain back Up on this host. */
  migrationError: z.string().optional(),
});
export type DomainReport = z.infer<typeof DomainReport>;

/** One poll of the hypervisor: always the full state of the host, never a delta. */
export const AgentReport = z.object({
  seq: z.number().int().nonnegative(),
  sampledAt: z.iso.datetime(),
  host: HostSample,
  domains: z.array(DomainReport),
  /**
   * The hypervisor cannot be reached (libvirt down or refusing), in its words: the host is
   * NonOperational and `domains` says nothing about its VMs.
   */
  hypervisorError: z.string().optional(),
  /** The storage domains the engine told the host to connect, each reachable or not, with its size and free space. */
  storageDomains: z.array(DomainHealth).max(10_000).optional(),
});
export type AgentReport = z.infer<typeof AgentReport>;

/** Sent once per connection, before the first report. */
export const AgentHello = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  agentVersion: z.string(),
  capabilities: HostCapabilities,
  /**
   * Why the host could not apply the network layout the engine's answer to its previous hello
   * sent back (the driver's refusal); the engine records it as an event and does not send it again.
   */
  networkSetupError: z.string().max(4000).optional(),
});
export type AgentHello = z.infer<typeof AgentHello>;

/**
 * A disk of a VM: a volume on a storage domain, which the host resolves to its image file
 * (agent/storage/domainLayout.ts) and passes on to its driver as `path`.
 */
export const DiskSpec = z.object({
  id: z.uuid(),
  volume: VolumeRef.optional(),
  /** The image file on the host (the agent fills it in from `volume`). */
  path: z.string().min(1).optional(),
  format: z.enum(['qcow2', 'raw']),
  interface: z.enum(['VIRTIO', 'VIRTIO_SCSI', 'IDE', 'SATA']),
  /** Position in the boot order (1 first); absent: not bootable. */
  bootOrder: z.number().int().positive().optional(),
  readOnly: z.boolean().optional(),
});
export type DiskSpec = z.infer<typeof DiskSpec>;

/** A NIC of a VM: on a host bridge when the host has one for its network, else user-mode networking. */
export const NicSpec = z.object({
  mac: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i),
  model: z.enum(['VIRTIO', 'E1000', 'E1000E', 'RTL8139']),
  bridge: z.string().min(1).nullable(),
  bootOrder: z.number().int().positive().optional(),
  linked: z.boolean().optional(),
});
export type NicSpec = z.infer<typeof NicSpec>;

/** A custom property's name: it becomes an environment variable of the hooks. */
export const CUSTOM_PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Direct kernel boot (oVirt's run-once Linux boot options): a kernel and initrd file on the host. */
export const KernelBoot = z.object({
  kernelPath: z.string().min(1),
  initrdPath: z.string().min(1).optional(),
  cmdline: z.string().optional(),
});
export type KernelBoot = z.infer<typeof KernelBoot>;

/** A CD-ROM's medium: an ISO image on an ISO domain, which the host resolves to its file (the agent fills `path` in). */
export const CdromMedium = z.object({
  domainId: z.uuid(),
  domainPath: z.string().max(4096),
  name: IsoName,
  path: z.string().min(1).optional(),
});
export type CdromMedium = z.infer<typeof CdromMedium>;

/** The VM's CD-ROM drive (IDE, so its medium changes while the VM runs): the medium in it (null: empty) and its boot position. */
export const CdromSpec = z.object({ medium: CdromMedium.nullable(), bootOrder: z.number().int().positive().optional() });
export type CdromSpec = z.infer<typeof CdromSpec>;

/**
 * A cloud-init NoCloud config drive: the files the host puts in an ISO labelled `cidata`, attached
 * as a second CD-ROM (the agent fills `path` in once it has built it).
 */
export const ConfigDrive = z.object({
  userData: z.string().max(256_000),
  metaData: z.string().max(16_000),
  networkConfig: z.string().max(64_000).optional(),
  path: z.string().min(1).optional(),
});
export type ConfigDrive = z.infer<typeof ConfigDrive>;

/** The definition of a VM the engine asks a host to run. */
export const DomainSpec = z.object({
  id: z.uuid(),
  name: z.string(),
  memoryMb: z.number().int().positive(),
  /** The balloon's starting size (oVirt's guaranteed memory at most); memoryMb when absent. */
  currentMemoryMb: z.number().int().positive().optional(),
  vcpus: z.number().int().positive(),
  /** CPU topology; sockets × cores × threads = vcpus. One socket of `vcpus` cores when absent. */
  sockets: z.number().int().positive().optional(),
  cores: z.number().int().positive().optional(),
  threads: z.number().int().positive().optional(),
  osType: z.string(),
  /** The console to offer; VNC when absent. */
  display: z.enum(['VNC', 'SPICE']).optional(),
  /** Where the console listens (an address of the host); every address when absent. */
  displayListen: z.string().optional(),
  /** Offer the console over a WebSocket too (VNC only), for browser clients. */
  displayWebsocket: z.boolean().optional(),
  disks: z.array(DiskSpec).optional(),
  nics: z.array(NicSpec).optional(),
  /** Its CD-ROM drive; none when absent. */
  cdrom: CdromSpec.optional(),
  /** Its cloud-init config drive; none when absent. */
  configDrive: ConfigDrive.optional(),
  kernel: KernelBoot.optional(),
  /** The VM's custom properties (oVirt's): the environment of its VDSM hooks. */
  customProperties: z.record(z.string().regex(CUSTOM_PROPERTY_NAME), z.string()).optional(),
  /** Memory the host keeps for the VM: MOM never deflates the balloon below it. memoryMb when absent. */
  guaranteedMemoryMb: z.number().int().nonnegative().optional(),
  /** The VM's balloon may be inflated by MOM (oVirt's memory balloon device enabled). */
  ballooning: z.boolean().optional(),
  /** Its VM lease: the host takes it before starting the VM (refusing while another host renews it) and renews it while the VM runs. */
  lease: VmLease.optional(),
  /**
   * The saved memory it resumes from instead of booting (a memory snapshot previewed with its
   * memory, as oVirt's): the memory volume, which the host resolves to its file (`path`).
   */
  memoryState: z.object({ volume: VolumeRef, path: z.string().min(1).optional() }).optional(),
});
export type DomainSpec = z.infer<typeof DomainSpec>;

/**
 * MOM's policy for a host, from its cluster: while the host's free memory is under
 * `lowFreePercent` of its memory, the balloons of VMs with ballooning take memory back (never
 * below their guaranteed memory) and KSM runs when `ksm`; over `highFreePercent` they give it back
 * and KSM stops. `ballooning` false: every VM gets its memory back.
 */
export const MemoryPolicy = z.object({
  ballooning: z.boolean(),
  lowFreePercent: z.number().int().min(0).max(100),
  highFreePercent: z.number().int().min(0).max(100),
  ksm: z.boolean(),
});
export type MemoryPolicy = z.infer<typeof MemoryPolicy>;

/**
 * What MOM needs of a VM: its memory, guaranteed memory and whether it may be ballooned. Part of the
 * VM's DomainSpec; the hello's answer lists it for each VM the engine has on the host, so a restarted
 * agent manages the VMs it finds running as it did those it started.
 */
export const MemoryVm = DomainSpec.pick({ id: true, memoryMb: true, guaranteedMemoryMb: true, ballooning: true });
export type MemoryVm = z.infer<typeof MemoryVm>;

/** What MOM did on a host, for the engine's event log (sent as it happens). */
export const MemoryEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('balloon'),
    vmId: z.uuid(),
    fromMb: z.number().int().nonnegative(),
    toMb: z.number().int().nonnegative(),
    guaranteedMb: z.number().int().nonnegative(),
    /** The host's free memory (% of its memory) that made MOM act. */
    freePercent: z.number().min(0).max(100),
    /** PRESSURE: under the low threshold; RELIEF: over the high one; OFF: ballooning is off. */
    cause: z.enum(['PRESSURE', 'RELIEF', 'OFF']),
    thresholdPercent: z.number().int().min(0).max(100),
  }),
  z.object({ kind: z.literal('ksm'), running: z.boolean(), freePercent: z.number().min(0).max(100) }),
]);
export type MemoryEvent = z.infer<typeof MemoryEvent>;
export const MemoryEvents = z.object({ events: z.array(MemoryEvent).min(1).max(1000) });
export type MemoryEvents = z.infer<typeof MemoryEvents>;

const vm = { vmId: z.uuid() };

/** A running VM's disk in a live snapshot: the volume it runs on, the image id of the new overlay's file on it, the overlay's size. */
export const LiveOverlay = z.object({ volume: VolumeRef, overlay: z.uuid(), backingFormat: VolumeFormat, sizeBytes: bytes });
export type LiveOverlay = z.infer<typeof LiveOverlay>;
/** A running VM's disk in a live merge: `top`'s data goes down into `base` (its backing volume); `active`: top is what the domain writes to. */
export const LiveMerge = z.object({ top: VolumeRef, base: VolumeRef, active: z.boolean() });
export type LiveMerge = z.infer<typeof LiveMerge>;
/**
 * A running VM's disk mirrored onto another domain (a live disk move): `source` is the image it
 * writes to, `target` the empty image of the same name made there on the copied chain; `shallow`:
 * only the running layer is copied (the chain under it is already there).
 */
export const LiveCopy = z.object({ source: VolumeRef, target: VolumeRef, format: VolumeFormat, shallow: z.boolean() });
export type LiveCopy = z.infer<typeof LiveCopy>;
export const AgentCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    spec: DomainSpec,
    incomingMigration: z.boolean().default(false),
    restoreState: z.boolean().optional(),
    /** Incoming migration: the XML the source will send (what its before_vm_migrate_source hooks left). */
    domainXml: z.string().max(1_000_000).optional(),
  }),
  z.object({ type: z.literal('destroy'), ...vm }),
  z.object({ type: z.literal('shutdown'), ...vm }),
  z.object({ type: z.literal('pause'), ...vm }),
  z.object({ type: z.literal('resume'), ...vm }),
  z.object({
    type: z.literal('migrate'),
    ...vm,
    destination: z.string(),
    peer: z.object({ uri: z.string().min(1), address: z.string().min(1) }).optional(),
    /** The definition the destination accepted (what its before_vm_migrate_destination hooks left). */
    domainXml: z.string().max(1_000_000).optional(),
  }),
  /** A migration's first step: the running domain's XML after the source's before_vm_migrate_source hooks. */
  z.object({ type: z.literal('describeForMigration'), ...vm }),
  z.object({ type: z.literal('cancelMigration'), ...vm }),
  z.object({ type: z.literal('reboot'), ...vm }),
  /** Suspend to disk: the memory is saved and the domain stops (exit reason SAVED). */
  z.object({ type: z.literal('hibernate'), ...vm }),
  /**
   * Live snapshot (libvirt's external snapshot): each disk's running file stays as it is (the
   * snapshot's volume) and the running domain goes on over a new qcow2 overlay on it, image
   * `overlay` in the same folder; `memory`: where its memory is saved too.
   */
  z.object({
    type: z.literal('snapshot'),
    ...vm,
    description: z.string(),
    overlays: z.array(LiveOverlay).max(256).default([]),
    memory: VolumeRef.nullable().default(null),
  }),
  /**
   * Live merge (VDSM's merge, libvirt's block commit): each top volume's data goes into its base,
   * the domain goes on over the base (an active top) or the volume above the top backs onto the
   * base; the top's file is removed once nothing uses it. Refused as a whole: what was merged stays.
   */
  z.object({ type: z.literal('merge'), ...vm, merges: z.array(LiveMerge).min(1).max(256) }),
  /**
   * Live disk move (oVirt's LSM, libvirt's block copy): the disk's running layer is mirrored onto
   * the target image, then the domain pivots to it and runs from the target. Refused or failed, the
   * block job is aborted and the domain goes on from the source.
   */
  z.object({ type: z.literal('blockCopy'), ...vm, copy: LiveCopy }),
  /**
   * Read only: the image file each disk of the running domain runs from (answered with
   * DiskSources), so an engine that restarted during a live move learns which domain the VM pivoted to.
   */
  z.object({ type: z.literal('diskSources'), ...vm }),
  /** Changes the medium in a running VM's CD-ROM drive (null: ejects it); VDSM's changeCD. */
  z.object({ type: z.literal('changeCd'), ...vm, medium: CdromMedium.nullable() }),
  /** Makes the host's bonds and networks what the layout says (oVirt's setupNetworks); the agent then says hello again with them. */
  z.object({ type: z.literal('setupNetworks'), layout: NetworkLayout }),
  /** Plugs a NIC into the running domain (VDSM's hotplugNic); refused while it migrates. */
  z.object({ type: z.literal('hotplugNic'), ...vm, nic: NicSpec }),
  /** Takes the NIC with this MAC out of the running domain (VDSM's hotunplugNic); done once the guest let it go. */
  z.object({ type: z.literal('hotunplugNic'), ...vm, mac: NicSpec.shape.mac }),
  /** Moves a plugged NIC to another bridge and/or sets its link state (VDSM's updateDevice of a NIC). */
  z.object({ type: z.literal('updateNic'), ...vm, nic: NicSpec }),
  /** Sets the console password (oVirt's setVmTicket); it stops working after validSeconds. */
  z.object({ type: z.literal('setTicket'), ...vm, password: z.string().min(8), validSeconds: z.number().int().positive() }),
  /** MOM's policy changed (the host's cluster was edited); the hello's answer carries it too. */
  z.object({ type: z.literal('setMemoryPolicy'), policy: MemoryPolicy }),
  /** Soft fencing: the agent answers, then restarts its session (new connection, hello, full report); VMs keep running. */
  z.object({ type: z.literal('restartAgent') }),
  /** How the VM leases of a domain stand (answered with LeaseStatusResult). */
  LeaseStatusCommand,
  /** Image work (protocol/storage.ts): volumes and the staging area of OVA transfers. */
  ...StorageCommand.options,
]);
export type AgentCommand = z.infer<typeof AgentCommand>;

/**
 * What diskSources answers: each disk's device and image file, with the storage domain, disk and
 * image the file is by the domain layout (`<domain dir>/<domain id>/images/<disk id>/<image id>`;
 * null when the file lies elsewhere).
 */
export const DiskSources = z.object({
  disks: z.array(
    z.object({
      target: z.string(),
      path: z.string(),
      domainId: z.uuid().nullable(),
      diskId: z.uuid().nullable(),
      imageId: z.uuid().nullable(),
      /** A block copy of the disk is still mirroring: it may yet pivot to the copy. */
      copying: z.boolean(),
    }),
  ),
});
export type DiskSources = z.infer<typeof DiskSources>;

/** What describeForMigration answers, and start for an incoming migration: the domain XML. */
export const MigrationXml = z.object({ domainXml: z.string() });

/** A command as it travels: with the id its result is matched by. */
export const CommandEnvelope = z.object({ id: z.uuid(), command: AgentCommand });
export type CommandEnvelope = z.infer<typeof CommandEnvelope>;

/** `value`: what the verb answers (storage verbs: StorageResults in storage.ts), when it answers anything. */
export const CommandResult = z.object({ id: z.uuid(), ok: z.boolean(), error: z.string().optional(), value: z.unknown().optional() });
export type CommandResult = z.infer<typeof CommandResult>;
