// Storage verbs of the agent protocol (VDSM's image and volume verbs): the engine never touches an
// image; it asks a host of the data center. Volumes live on the host's view of the storage domain
// as oVirt lays out file domains (`<domain dir>/images/<disk id>/<image id>`). OVA export and import
// go through a staging area on the host: bytes travel over HTTP between agent and engine, the agent
// always the client, with a one-time transfer ticket the engine hands out in the command
// (`GET|PUT <engine>/transfers/<ticket>`, streamed both ways, never held in memory).
import { z } from 'zod';

/** A disk's volume on a storage domain: which domain (its id and the path the engine knows it by) and which image. */
export const VolumeRef = z.object({
  domainId: z.uuid(),
  /** The domain's path as added (an export, or a local directory on the hosts). */
  domainPath: z.string().max(4096),
  diskId: z.uuid(),
  /** oVirt's image (volume) id of the disk. */
  imageId: z.uuid(),
});
export type VolumeRef = z.infer<typeof VolumeRef>;

/** A disk's format as the engine knows it: COW is a qcow2 file, RAW a (sparse or full) raw file. */
export const VolumeFormat = z.enum(['RAW', 'COW']);
export type VolumeFormat = z.infer<typeof VolumeFormat>;

/** Image formats a host reads from outside (an OVA); anything else qemu-img may probe is refused by the engine. */
export const IMPORTABLE_FORMATS = ['qcow2', 'raw', 'vmdk', 'vdi', 'vhdx', 'vpc'] as const;
export const ImageFormat = z.enum(IMPORTABLE_FORMATS);
export type ImageFormat = z.infer<typeof ImageFormat>;

export const bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** A file in the host's staging area, named by the engine (so it can discard it even when an answer is lost). */
const stageId = z.uuid();
/** Where the agent sends or fetches bytes: a path on the engine's HTTP endpoint, valid once. */
const transferPath = z.string().regex(/^\/transfers\/[A-Za-z0-9_-]{32,}$/);

/** Label of a new disk (what a simulated hypervisor writes in its first blocks). */
export const VolumeLabel = z.object({ diskAlias: z.string().max(255), vmName: z.string().max(255).nullable() });
export type VolumeLabel = z.infer<typeof VolumeLabel>;

/**
 * A storage domain a host connects to (oVirt's connectStorageServer): the directory the domain
 * lives in on the host, or with `nfs` the export (`server:/path`) the host mounts.
 */
export const DomainConnection = z.object({
  domainId: z.uuid(),
  path: z.string().min(1).max(4096),
  nfs: z.object({ mountOptions: z.string().max(200) }).optional(),
});
export type DomainConnection = z.infer<typeof DomainConnection>;

/** Whether a host reaches a storage domain, with its file system's size and free space (statvfs) when it does. */
export const DomainHealth = z.object({
  domainId: z.uuid(),
  reachable: z.boolean(),
  capacityBytes: z.number().int().nonnegative(),
  freeBytes: z.number().int().nonnegative(),
  /** Why the host cannot reach it. */
  error: z.string().max(1000).optional(),
});
export type DomainHealth = z.infer<typeof DomainHealth>;

/** An ISO image's file name on an ISO domain (oVirt lists the domain's `*.iso` files): no folder, no leading dot. */
export const IsoName = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*\.iso$/i, 'must be a file name ending in .iso (letters, digits, . _ + -)');

/** A storage domain as a host finds it: its id and the path the engine knows it by. */
const DomainRef = VolumeRef.pick({ domainId: true, domainPath: true });

export const StorageCommand = z.discriminatedUnion('type', [
  /** The storage domains the host is to watch from now on (all of them: the list replaces the previous one); answers their health. */
  z.object({ type: z.literal('connectStorageDomains'), domains: z.array(DomainConnection).max(10_000) }),
  /** Whether the host reaches a directory as a storage domain, without watching it. */
  z.object({ type: z.literal('probeStorageDomain'), domain: DomainConnection }),
  /** A new volume: empty (qcow2 or sparse raw), or the staged image `fromStage` (already in `format`) moved into place. */
  z.object({
    type: z.literal('createVolume'),
    volume: VolumeRef,
    format: VolumeFormat,
    sizeBytes: bytes,
    label: VolumeLabel.optional(),
    fromStage: stageId.optional(),
    /**
     * A qcow2 overlay on another disk's volume instead of an empty volume (a thin disk over a
     * template's base image, by a path relative to the new file's folder). Nothing is made when the
     * backing volume has no image (a template disk with metadata only).
     */
    backing: z.object({ volume: VolumeRef, format: VolumeFormat }).optional(),
  }),
  /**
   * A new standalone volume holding what `source` reads through its whole backing chain (qemu-img
   * convert: a template's base image from a VM's disk, a clone, a disk's copy); zeros stay unallocated.
   * Nothing is made when the source has no image.
   */
  z.object({
    type: z.literal('copyVolume'),
    source: VolumeRef,
    sourceFormat: VolumeFormat,
    target: VolumeRef,
    format: VolumeFormat,
  }),
  /**
   * A disk's image folder (every volume of its chain, backing paths kept) copied to another domain
   * under the same disk id; sparse files stay sparse. The target must not have it yet. With `top`
   * (a live move: the image a running VM writes to), that image is not copied: the target gets an
   * empty one of its name, format and size instead, a qcow2 on the copied chain under it (its own
   * backing name), for the hypervisor to mirror the running layer onto.
   */
  z.object({
    type: z.literal('copyImage'),
    source: VolumeRef.pick({ domainId: true, domainPath: true, diskId: true }),
    target: VolumeRef.pick({ domainId: true, domainPath: true }),
    top: z.object({ imageId: z.uuid(), format: VolumeFormat }).optional(),
  }),
  /**
   * A new qcow2 top volume on `backing` (a snapshot, a preview): the current top file is first kept
   * under `keepAs` (another image of the same disk) or, without it, replaced. Nothing when the top has no file.
   */
  z.object({
    type: z.literal('overlayVolume'),
    volume: VolumeRef,
    keepAs: z.uuid().optional(),
    backing: VolumeRef,
    backingFormat: VolumeFormat,
    sizeBytes: bytes,
  }),
  /** The top volume's file is replaced by the disk's kept image `from` (a preview undone). */
  z.object({ type: z.literal('restoreVolume'), volume: VolumeRef, from: z.uuid() }),
  /** Removes one volume's file (a volume no chain uses any more). */
  z.object({ type: z.literal('deleteVolumeImage'), volume: VolumeRef }),
  /**
   * Cold merge: `volume`'s data is committed into its backing `base` (qemu-img commit), and the merged
   * file takes `volume`'s place; volumes above it read the same data as before.
   */
  z.object({ type: z.literal('mergeVolume'), volume: VolumeRef, base: VolumeRef }),
  /** Grows a volume's virtual size. */
  z.object({ type: z.literal('extendVolume'), volume: VolumeRef, format: VolumeFormat, sizeBytes: bytes }),
  /** Removes a volume's image directory (nothing when it has none). */
  z.object({ type: z.literal('deleteVolume'), volume: VolumeRef }),
  /** `qemu-img info` of a volume, opened as its own format. */
  z.object({ type: z.literal('volumeInfo'), volume: VolumeRef, format: VolumeFormat }),
  /** Export: the volume converted to qcow2 (compat 1.1) into the staging area; an empty qcow2 of `sizeBytes` when the volume has no image. */
  z.object({ type: z.literal('stageVolume'), volume: VolumeRef, format: VolumeFormat, sizeBytes: bytes, stageId }),
  /** Export: PUTs a staged file to the engine, then removes it. */
  z.object({ type: z.literal('sendStage'), stageId, transferPath }),
  /** Import: GETs a file from the engine into the staging area and inspects it (format probed, never trusted). */
  z.object({ type: z.literal('receiveStage'), stageId, transferPath, sizeBytes: bytes }),
  /** Import: converts an inspected staged image (opened as `sourceFormat`) into a new stage in the disk's format. */
  z.object({ type: z.literal('convertStage'), stageId, sourceFormat: ImageFormat, targetStageId: stageId, format: VolumeFormat }),
  /** The disks that have an image directory on a domain, each with when it was last changed (start-up sweep of orphaned images). */
  z.object({ type: z.literal('listImages'), domain: VolumeRef.pick({ domainId: true, domainPath: true }) }),
  /** Removes staged files (those already gone are ignored). */
  z.object({ type: z.literal('discardStages'), stageIds: z.array(stageId).max(256) }),
  /**
   * An ISO image onto an ISO domain: GETs the upload from the engine (at most `maxBytes`) into a
   * hidden file beside it, checks it is a whole ISO 9660 image, then gives it its name (never
   * replacing a file); anything else leaves no file.
   */
  z.object({ type: z.literal('receiveIsoImage'), domain: DomainRef, name: IsoName, transferPath, maxBytes: bytes }),
  /** Removes an ISO image from an ISO domain (nothing when it is already gone). */
  z.object({ type: z.literal('deleteIsoImage'), domain: DomainRef, name: IsoName }),
  /** The whole ISO 9660 images on an ISO domain, by name: uploaded or copied there by hand (oVirt's ISO list refresh). */
  z.object({ type: z.literal('listIsoImages'), domain: DomainRef }),
]);
export type StorageCommand = z.infer<typeof StorageCommand>;

/** What qemu-img found in a file from outside. */
export const ImageInspection = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('read'),
    /** The format qemu-img probed (any string: the engine refuses what it does not import). */
    format: z.string(),
    virtualSizeBytes: bytes,
    /** A backing file, an external data file or extents in other files: anything outside the image itself. */
    externalFiles: z.array(z.string()),
  }),
  z.object({ state: z.literal('unreadable'), message: z.string() }),
  /** The host has no qemu-img: the file was not fetched. */
  z.object({ state: z.literal('noQemuImg') }),
]);
export type ImageInspection = z.infer<typeof ImageInspection>;

const none = z.object({}).strict();

/** The answer of each storage verb (CommandResult.value). */
export const StorageResults = {
  connectStorageDomains: z.object({ domains: z.array(DomainHealth) }),
  probeStorageDomain: DomainHealth,
  createVolume: z.object({ actualSizeBytes: bytes }),
  /** `copied` false: the source had no image, so nothing was made. */
  copyVolume: z.object({ actualSizeBytes: bytes, copied: z.boolean() }),
  /** `copied` false: the source had no image folder. */
  copyImage: z.object({ actualSizeBytes: bytes, copied: z.boolean() }),
  extendVolume: none,
  overlayVolume: none,
  restoreVolume: none,
  deleteVolumeImage: none,
  mergeVolume: none,
  deleteVolume: none,
  volumeInfo: z
    .object({ exists: z.literal(false) })
    .or(z.object({ exists: z.literal(true), virtualSizeBytes: bytes, actualSizeBytes: bytes })),
  /** `empty`: why the staged file is an empty qcow2 instead of the volume's data (null: it holds the data). */
  stageVolume: z.object({ sizeBytes: bytes, empty: z.enum(['noImage', 'noQemuImg']).nullable() }),
  sendStage: none,
  receiveStage: ImageInspection,
  convertStage: z.object({ actualSizeBytes: bytes }),
  /** `now` and `modifiedAt` by the host's clock (ms), so the engine compares ages, not two machines' clocks. */
  listImages: z.object({ now: z.number(), images: z.array(z.object({ diskId: z.uuid(), modifiedAt: z.number() })).max(1_000_000) }),
  discardStages: none,
  receiveIsoImage: z.discriminatedUnion('state', [
    z.object({ state: z.literal('written'), sizeBytes: bytes }),
    /** A file of that name is already on the domain: nothing was fetched. */
    z.object({ state: z.literal('exists') }),
    /** No ISO 9660 volume descriptor ("CD001" at byte 32769). */
    z.object({ state: z.literal('notIso') }),
    /** More than maxBytes came. */
    z.object({ state: z.literal('tooLarge') }),
    /** Fewer bytes than the image's primary volume descriptor declares: cut off. */
    z.object({ state: z.literal('incomplete'), sizeBytes: bytes, volumeBytes: bytes }),
  ]),
  deleteIsoImage: none,
  /** `skipped`: files named *.iso that are not whole ISO 9660 images, with why. */
  listIsoImages: z.object({
    images: z.array(z.object({ name: IsoName, sizeBytes: bytes })).max(10_000),
    skipped: z.array(z.object({ name: z.string().max(300), why: z.string().max(300) })).max(10_000),
  }),
} satisfies Record<StorageCommand['type'], z.ZodType>;

export type StorageResult<T extends StorageCommand['type']> = z.infer<(typeof StorageResults)[T]>;
