// The plain, typed description of one virtual machine that the OVF reader produces and the
// oVirt OVF writer consumes. It mirrors Vireo's data model (Vm, Disk, DiskAttachment, VmNic,
// Snapshot) without ids from this engine's database; engine actions map it onto rows later.

/** Who wrote the descriptor, detected from its namespaces and VirtualSystemType. */
export type OvfProducer = 'ovirt' | 'vmware' | 'virtualbox' | 'other';

/** Disk volume format, as in Prisma's DiskFormat. */
export type OvfDiskFormat = 'RAW' | 'COW';

/** Disk bus, as in Prisma's DiskInterface. */
export type OvfDiskInterface = 'VIRTIO' | 'VIRTIO_SCSI' | 'IDE' | 'SATA';

/** NIC model, as in Prisma's NicInterface. */
export type OvfNicInterface = 'VIRTIO' | 'E1000' | 'E1000E' | 'RTL8139';

/** Snapshot type, as in Prisma's SnapshotType. */
export type OvfSnapshotType = 'ACTIVE' | 'REGULAR' | 'PREVIEW' | 'STATELESS';

/** Storage controller kind. */
export type OvfControllerType = 'IDE' | 'SCSI' | 'SATA' | 'VIRTIO_SCSI';

/** Why something in the descriptor is not (fully) represented in the description. */
export type OvfWarningCode =
  | 'UNSUPPORTED_DEVICE' // a device Vireo has no model for (sound, video, serial, floppy, balloon…)
  | 'USB' // an enabled USB controller
  | 'DIRECT_LUN' // a direct LUN disk (represented in lunDisks, but Vireo cannot create it)
  | 'UNMAPPED_VALUE' // a value mapped to the nearest Vireo value (NIC model, OS, controller)
  | 'UNSUPPORTED_SECTION' // an OVF section that is not read (ProductSection, EulaSection…)
  | 'BOOT_ORDER' // a boot order Vireo cannot keep (network or CD boot, several boot disks)
  | 'IGNORED_VALUE' // a malformed or unusable value that was left out
  | 'UNSUPPORTED_SETTING' // a setting Vireo has no equivalent for (oVirt's TimeZone, BiosType, VmInit…; VMware's shares and limits)
  | 'OVA_NO_MANIFEST' // an OVA without a manifest: its files' checksums could not be checked
  | 'OVA_SIGNATURE_NOT_CHECKED'; // a signed OVA (.cert): Vireo does not verify signatures

export interface OvfWarning {
  code: OvfWarningCode;
  message: string;
}

export interface OvfOs {
  /** The producer's own OS id: oVirt's unique OS name, vmw:osType, vbox:OSType, or the CIM number. */
  raw: string | null;
  /** Normalised oVirt-style OS name (e.g. `windows_10x64`, `other_linux`, `other`). */
  type: string;
}

export interface OvfCpu {
  sockets: number;
  cores: number;
  threads: number;
}

/** The file of a disk, from References/File. */
export interface OvfFile {
  /** References/File/@ovf:id. */
  id: string;
  /** References/File/@ovf:href: the name of the file inside an OVA, or oVirt's `imageGroup/image`. */
  href: string;
  /** References/File/@ovf:size in bytes, when given. */
  sizeBytes: number | null;
}

export interface OvfDisk {
  /** The disk's id: oVirt's image group id (Vireo Disk.id); for other producers DiskSection/Disk/@ovf:diskId. */
  id: string;
  /** oVirt's image (volume) id, i.e. DiskSection/Disk/@ovf:diskId in oVirt OVFs; null for other producers. */
  imageId: string | null;
  alias: string;
  description: string;
  /** Virtual size in bytes (ovf:capacity × ovf:capacityAllocationUnits, or oVirt's ovf:size GiB). */
  capacityBytes: number;
  /** Space used, in bytes (ovf:populatedSize, or oVirt's ovf:actual_size GiB when non-zero). */
  populatedBytes: number | null;
  file: OvfFile | null;
  format: OvfDiskFormat;
  /** The ovf:format URI as written (e.g. VMware's `…vmdk.html#streamOptimized`), for the conversion step. */
  sourceFormat: string | null;
  sparse: boolean;
  interface: OvfDiskInterface;
  bootable: boolean;
  shareable: boolean;
  readOnly: boolean;
  /** oVirt's ovf:vm_snapshot_id: the snapshot this image belongs to. */
  snapshotId: string | null;
}

export interface OvfLunConnection {
  address: string;
  port: string;
  iqn: string;
  storageType: string;
}

/** An oVirt direct LUN disk: described, but Vireo cannot create one (a DIRECT_LUN warning says so). */
export interface OvfLunDisk {
  id: string;
  alias: string;
  description: string;
  lunId: string;
  /** oVirt's ovf:device_size (GiB) in bytes, when given. */
  sizeBytes: number | null;
  interface: OvfDiskInterface;
  bootable: boolean;
  shareable: boolean;
  readOnly: boolean;
  connections: OvfLunConnection[];
}

export interface OvfNic {
  /** rasd:InstanceID (oVirt: the NIC's UUID). */
  id: string;
  /** oVirt's rasd:Name; `nicN` (oVirt's own naming) for producers that have no NIC name. */
  name: string;
  /** rasd:Connection: the source network's name; null when unconnected. */
  network: string | null;
  interface: OvfNicInterface;
  /** Lower-case `aa:bb:cc:dd:ee:ff`, when the descriptor gives one. */
  mac: string | null;
  linked: boolean;
  plugged: boolean;
}

export interface OvfController {
  /** rasd:InstanceID. */
  id: string;
  type: OvfControllerType;
  /** rasd:ResourceSubType (e.g. `lsilogicsas`, `PIIX4`, `AHCI`), when given. */
  model: string | null;
}

export interface OvfCdrom {
  /** rasd:InstanceID. */
  id: string;
  /** The ISO: its file href inside the package, or oVirt's ISO path; null for an empty drive. */
  image: string | null;
}

export interface OvfSnapshot {
  id: string;
  type: OvfSnapshotType;
  description: string;
  /** ISO 8601 UTC, when given. */
  createdAt: string | null;
  /**
   * oVirt's memory volume list of a snapshot taken with memory: six comma-separated UUIDs (storage
   * domain, data center, memory disk and its volume, metadata disk and its volume), as
   * OvfVmWriter writes and OvfVmReader reads them.
   */
  memory: string | null;
}

/** Console protocol, as in Prisma's DisplayType. */
export type OvfDisplayType = 'VNC' | 'SPICE';

/** A VM or a template as described by an OVF descriptor. */
export interface OvfVm {
  producer: OvfProducer;
  /**
   * 'template' for an oVirt template: its Content/TemplateId is its own id (the
   * OperatingSystemSection's ovf:id), as oVirt's OvfParser.isTemplate() decides.
   */
  kind: 'vm' | 'template';
  /** The VM's UUID when the descriptor has one (oVirt: OperatingSystemSection/@ovf:id). */
  id: string | null;
  /**
   * What identifies the source VM across descriptors, so it is not imported twice: `id:<uuid>` when
   * it has a UUID (oVirt's id, VirtualBox's machine uuid), `vmware-bios:<uuid>` for VMware's BIOS
   * UUID, else `sha256:<hex>` of its VirtualSystem element (canonical: no whitespace or prefix effects).
   */
  sourceIdentity: string;
  /** The template a VM was made from (oVirt's TemplateId and TemplateName); null for Blank and for templates. */
  template: { id: string; name: string } | null;
  /** A template's version number (oVirt's TemplateVersionNumber); null for VMs and when not given. */
  templateVersion: number | null;
  name: string;
  description: string;
  os: OvfOs;
  cpu: OvfCpu;
  memoryMb: number;
  /** Memory guaranteed to the VM, MiB (oVirt's MinAllocatedMem, VMware's memory reservation); null when the descriptor has none. */
  guaranteedMemoryMb: number | null;
  /** Restarted elsewhere when its host fails (oVirt's AutoStartup); null when not said. */
  highlyAvailable: boolean | null;
  /** oVirt's Priority (1 low, 50 medium, 100 high): restart order of highly available VMs; null when not said. */
  haPriority: number | null;
  /** Every run starts from the same state (oVirt's IsStateless); null when not said. */
  stateless: boolean | null;
  /** The console: oVirt's graphics device, else its DefaultDisplayType (qxl: SPICE, vga: VNC); null when not said. */
  displayType: OvfDisplayType | null;
  disks: OvfDisk[];
  lunDisks: OvfLunDisk[];
  nics: OvfNic[];
  controllers: OvfController[];
  cdroms: OvfCdrom[];
  snapshots: OvfSnapshot[];
  warnings: OvfWarning[];
}
