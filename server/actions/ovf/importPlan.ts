// The plan of an import: what importVm would create from an OVF descriptor (and an OVA's files),
// every warning, and every refusal. Read-only; computed once per run.
// Choices:
// * The VM keeps the OVF's VM id when it is a UUID (disks and NICs too), so a second import of the
//   same VM is refused with VM_ALREADY_EXISTS; `clone` gives every object a new id (and `name` a new name).
// * A NIC whose source network is not in the mapping is created without a network and unplugged,
//   with a NIC_NETWORK_UNMAPPED warning; mapping a source network to null means "no network" on purpose.
// * A MAC from the file is kept when no NIC of the engine has it; otherwise the pool gives one (MAC_REASSIGNED).
// * Every disk gets an image on its storage domain (server/storage/images.ts). An OVA's disk image,
//   inspected and converted to the disk's format before the transaction (ovaImages.ts), is moved
//   into place; its virtual size must fit the disk's capacity. A descriptor alone, or an OVA on an
//   engine without qemu-img, gives empty images (DISK_DATA_NOT_IMPORTED / DISK_DATA_NOT_CONVERTED).
//   Image files of a failed import are removed (compensation).
// * Guaranteed memory, high availability (and its priority) and stateless come from oVirt's
//   MinAllocatedMem, AutoStartup, Priority and IsStateless; a boot order Vireo cannot keep is a warning.
// * Controllers, CD-ROMs, direct LUNs, snapshots, USB and other devices Vireo does not model are warnings.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../defineAction.ts';
import { found, id, objectName, refuseWhen } from '../../validators/common.ts';
import { vmName } from '../../validators/vmValidator.ts';
import { VireoError, type Reason } from '../../errors.ts';
import { isUuid, readOvf, type OvfVm } from '../../ovf/index.ts';
import type { DiskFormat, DiskInterface, NicInterface } from '../../../generated/prisma/enums.ts';
import { IMPORTABLE_FORMATS } from '../../storage/qemuImg.ts';

/** Largest descriptor, as text or as a bare OVF upload. */
export const MAX_OVF_BYTES = 10 * 1024 * 1024;
const INITIAL_THIN_BYTES = 1n << 20n;

export const importVmParams = z.object({
  /** The OVF descriptor's text. */
  ovf: z.string().min(1, 'must not be empty').max(MAX_OVF_BYTES, 'is larger than 10 MiB'),
  /** Where the descriptor came from, for messages: 'OVF' (descriptor alone) or 'OVA'. */
  source: z.enum(['OVF', 'OVA']).default('OVF'),
  /** Files of the OVA beside the descriptor (already checked against the manifest): their sizes. */
  files: z.array(z.object({
    name: z.string().max(1024),
    sizeBytes: z.bigint().nonnegative(),
    /** The unpacked disk image as qemu-img read it. */
    image: z.object({ path: z.string(), format: z.enum(IMPORTABLE_FORMATS as [string, ...string[]]), virtualSizeBytes: z.bigint().nonnegative() }).optional(),
    /** The image converted to its disk's format, in the engine's temporary area. */
    converted: z.object({ path: z.string(), format: z.enum(['qcow2', 'raw']), actualSizeBytes: z.bigint().nonnegative() }).optional(),
  })).max(256).default([]),
  clusterId: id,
  /** Storage domain of every disk not named in `disks`. */
  storageDomainId: id.optional(),
  disks: z.array(z.object({ sourceId: z.string().min(1).max(256), storageDomainId: id })).max(64).default([]),
  /** Source network name → Vireo network (null: leave the NIC without a network on purpose). */
  networks: z.array(z.object({ source: z.string().max(256), networkId: id.nullable() })).max(64).default([]),
  clone: z.boolean().default(false),
  name: vmName.optional(),
});
export type ImportVmParams = z.infer<typeof importVmParams>;

export interface ImportWarning { code: string; message: string }

export interface PlannedDisk {
  sourceId: string;
  id: string;
  alias: string;
  description: string;
  storageDomainId: string | null;
  provisionedSizeBytes: bigint;
  actualSizeBytes: bigint;
  format: DiskFormat;
  sparse: boolean;
  shareable: boolean;
  bootable: boolean;
  interface: DiskInterface;
  /** The converted image moved into place on import; null: an empty image is created. */
  image: { path: string } | null;
  /** The package has an image for the disk that must be converted before the import runs. */
  hasData: boolean;
}

export interface PlannedNic {
  sourceId: string;
  id: string;
  name: string;
  sourceNetwork: string | null;
  networkId: string | null;
  interface: NicInterface;
  /** The MAC from the file when it is free; null: the pool gives one. */
  macAddress: string | null;
  linked: boolean;
  plugged: boolean;
}

export interface ImportPlan {
  producer: OvfVm['producer'] | null;
  id: string;
  name: string;
  description: string;
  clusterId: string;
  dataCenterId: string | null;
  osType: string;
  cpuSockets: number;
  cpuCores: number;
  cpuThreads: number;
  memoryMb: number;
  guaranteedMemoryMb: number;
  highlyAvailable: boolean;
  haPriority: number;
  stateless: boolean;
  disks: PlannedDisk[];
  nics: PlannedNic[];
  warnings: ImportWarning[];
  /** Why the import would be refused; empty when it can run. */
  reasons: Reason[];
}

/** Makes a name fit oVirt's object-name rule (letters, digits, '_', '-', '.'; at most 64). */
function fitName(raw: string): string {
  const n = raw.trim().replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 64);
  return n || 'imported';
}

const read = new WeakMap<ImportVmParams, OvfVm | VireoError>();

/** The descriptor read once per params object: the OvfVm, or the reader's typed error. */
export function readSource(p: ImportVmParams): OvfVm | VireoError {
  let r = read.get(p);
  if (!r) {
    try { r = readOvf(p.ovf, { maxBytes: MAX_OVF_BYTES }); } catch (e) {
      if (!(e instanceof VireoError)) throw e;
      r = e;
    }
    read.set(p, r);
  }
  return r;
}

/** Everything the import would create, with warnings and refusals. Read-only. */
export async function planImport(tx: Tx, p: ImportVmParams): Promise<ImportPlan> {
  const cluster = found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId);
  const source = readSource(p);
  const empty: ImportPlan = {
    producer: null, id: '', name: p.name ?? '', description: '', clusterId: cluster.id, dataCenterId: cluster.dataCenterId,
    osType: 'other', cpuSockets: 1, cpuCores: 1, cpuThreads: 1, memoryMb: 0, guaranteedMemoryMb: 0, highlyAvailable: false, haPriority: 1, stateless: false,
    disks: [], nics: [], warnings: [], reasons: [],
  };
  if (source instanceof VireoError) return { ...empty, reasons: [{ code: source.code, message: source.message }] };

  const warnings: ImportWarning[] = source.warnings.map((w) => ({ ...w }));
  const reasons: (Reason | null)[] = [];

  // --- the VM
  let name = p.name ?? source.name;
  if (!p.name && !objectName.safeParse(name).success) {
    name = fitName(source.name);
    warnings.push({ code: 'NAME_CHANGED', message: `VM name "${source.name}" is not a valid name; using "${name}".` });
  }
  const vmId = !p.clone && isUuid(source.id) ? source.id.toLowerCase() : randomUUID();
  if (!p.clone && isUuid(source.id)) {
    const existing = await tx.vm.findUnique({ where: { id: vmId }, select: { name: true } });
    reasons.push(refuseWhen(!!existing, 'VM_ALREADY_EXISTS',
      `VM ${source.name} (${vmId}) already exists${existing ? ` as ${existing.name}` : ''}; import it with clone to make a copy with new ids.`));
  }
  const taken = await tx.vm.count({ where: { name, cluster: { dataCenterId: cluster.dataCenterId } } });
  reasons.push(refuseWhen(taken > 0, 'VM_NAME_ALREADY_USED', `The name ${name} is already used by another VM in the data center; give the import another name.`));
  const { sockets, cores, threads } = source.cpu;
  reasons.push(refuseWhen(sockets > 16 || cores > 254 || threads > 8, 'OVF_HARDWARE_UNSUPPORTED',
    `The VM has ${sockets} sockets × ${cores} cores × ${threads} threads; Vireo allows at most 16 × 254 × 8.`));
  reasons.push(refuseWhen(source.memoryMb < 128 || source.memoryMb > 16 * 1024 * 1024, 'OVF_HARDWARE_UNSUPPORTED',
    `The VM has ${source.memoryMb} MiB of memory; Vireo needs between 128 MiB and 16 TiB.`));
  let description = source.description;
  if (description.length > 1024) {
    description = description.slice(0, 1024);
    warnings.push({ code: 'IGNORED_VALUE', message: 'The description was cut to 1024 characters.' });
  }
  let osType = source.os.type;
  if (osType.length > 64) { osType = 'other'; warnings.push({ code: 'UNMAPPED_VALUE', message: `OS "${source.os.type}" is too long a name; using "other".` }); }

  // --- disks
  const unknownDisk = p.disks.filter((d) => !source.disks.some((s) => s.id === d.sourceId));
  for (const d of unknownDisk) reasons.push({ code: 'OVF_DISK_NOT_IN_DESCRIPTOR', message: `The descriptor has no disk "${d.sourceId}".` });
  const packageFiles = new Map(p.files.map((f) => [f.name.replace(/^\.\//, ''), f]));
  const disks: PlannedDisk[] = [];
  for (const d of source.disks) {
    const storageDomainId = p.disks.find((m) => m.sourceId === d.id)?.storageDomainId ?? p.storageDomainId ?? null;
    if (!storageDomainId) reasons.push({ code: 'OVF_DISK_NO_STORAGE_DOMAIN', message: `Disk ${d.alias} has no target storage domain; give a default one or one for the disk.` });
    const provisionedSizeBytes = BigInt(Math.ceil(d.capacityBytes));
    if (provisionedSizeBytes <= 0n) reasons.push({ code: 'OVF_INVALID', message: `Disk ${d.alias} has no size.` });
    const file = d.file ? packageFiles.get(d.file.href.replace(/^\.\//, '')) : undefined;
    const empty = d.sparse ? (provisionedSizeBytes < INITIAL_THIN_BYTES ? provisionedSizeBytes : INITIAL_THIN_BYTES) : provisionedSizeBytes;
    let actualSizeBytes = empty;
    let image: PlannedDisk['image'] = null;
    if (file?.image) {
      // qcow2 and VMDK sizes are whole sectors.
      const capacity = ((provisionedSizeBytes + 511n) / 512n) * 512n;
      reasons.push(refuseWhen(file.image.virtualSizeBytes > capacity, 'OVF_IMAGE_LARGER_THAN_DISK',
        `Disk ${d.alias}: the image ${file.name} has a virtual size of ${file.image.virtualSizeBytes} bytes, more than the disk's capacity of ${provisionedSizeBytes} bytes.`));
      if (file.converted) image = { path: file.converted.path };
      // A thin disk takes what its data takes (before conversion: at most the file's size); a preallocated one its full size.
      const data = file.converted?.actualSizeBytes ?? file.sizeBytes;
      if (d.sparse) actualSizeBytes = data < provisionedSizeBytes ? data : provisionedSizeBytes;
    } else if (file) {
      warnings.push({ code: 'DISK_DATA_NOT_CONVERTED', message: `Disk ${d.alias}: the image ${file.name} (${file.sizeBytes} bytes) cannot be converted (qemu-img is not installed on the engine); the disk is created empty.` });
    } else {
      warnings.push({ code: 'DISK_DATA_NOT_IMPORTED', message: `Disk ${d.alias}: ${p.source === 'OVA' ? 'the package holds no image for it' : 'imported from the descriptor alone'}; it is created empty.` });
    }
    const diskId = !p.clone && isUuid(d.id) ? d.id.toLowerCase() : randomUUID();
    if (!p.clone && isUuid(d.id) && await tx.disk.count({ where: { id: diskId } })) {
      reasons.push({ code: 'DISK_ALREADY_EXISTS', message: `Disk ${d.alias} (${diskId}) already exists; import with clone to copy it with new ids.` });
    }
    if (d.readOnly) warnings.push({ code: 'IGNORED_VALUE', message: `Disk ${d.alias} is read-only in the source; Vireo attaches it read-write.` });
    disks.push({
      sourceId: d.id, id: diskId, alias: (d.alias || `${name}_Disk${disks.length + 1}`).slice(0, 255), description: d.description.slice(0, 1024),
      storageDomainId, provisionedSizeBytes, actualSizeBytes, format: d.format, sparse: d.sparse, shareable: d.shareable,
      bootable: d.bootable, interface: d.interface, image, hasData: !!file?.image,
    });
  }
  reasons.push(...(await domainsHaveRoom(tx, cluster.dataCenterId, disks)));

  // --- NICs
  const sourceNetworks = new Set(source.nics.map((n) => n.network).filter((n): n is string => n !== null));
  for (const m of p.networks) {
    if (!sourceNetworks.has(m.source)) warnings.push({ code: 'NETWORK_MAPPING_UNUSED', message: `No NIC of the VM is on source network "${m.source}".` });
  }
  const usedNames = new Set<string>();
  const usedMacs = new Set<string>();
  const nics: PlannedNic[] = [];
  for (const n of source.nics) {
    let nicName = objectName.safeParse(n.name).success ? n.name : fitName(n.name);
    for (let k = 2; usedNames.has(nicName); k++) nicName = `${fitName(n.name).slice(0, 58)}_${k}`;
    if (nicName !== n.name) warnings.push({ code: 'NAME_CHANGED', message: `NIC "${n.name}" is named ${nicName}.` });
    usedNames.add(nicName);
    const mapping = n.network === null ? undefined : p.networks.find((m) => m.source === n.network);
    let networkId: string | null = null;
    let plugged = n.plugged;
    if (n.network !== null && !mapping) {
      plugged = false;
      warnings.push({ code: 'NIC_NETWORK_UNMAPPED', message: `NIC ${nicName} is on source network "${n.network}", which is not mapped; it is left without a network, unplugged.` });
    } else if (mapping) networkId = mapping.networkId;
    let macAddress: string | null = null;
    if (n.mac) {
      const inUse = usedMacs.has(n.mac) || (await tx.vmNic.count({ where: { macAddress: n.mac } })) > 0;
      if (inUse) warnings.push({ code: 'MAC_REASSIGNED', message: `NIC ${nicName}: MAC ${n.mac} is already used; a new one comes from the MAC pool.` });
      else { macAddress = n.mac; usedMacs.add(n.mac); }
    }
    const nicId = !p.clone && isUuid(n.id) ? n.id.toLowerCase() : randomUUID();
    if (!p.clone && isUuid(n.id) && await tx.vmNic.count({ where: { id: nicId } })) {
      reasons.push({ code: 'NIC_ALREADY_EXISTS', message: `NIC ${nicName} (${nicId}) already exists; import with clone to copy it with new ids.` });
    }
    nics.push({ sourceId: n.id, id: nicId, name: nicName, sourceNetwork: n.network, networkId, interface: n.interface, macAddress, linked: n.linked, plugged });
  }
  reasons.push(...(await networksUsable(tx, cluster.id, nics)));

  // --- what Vireo does not model
  for (const c of source.controllers) {
    warnings.push({ code: 'CONTROLLER_NOT_IMPORTED', message: `${c.type} controller ${c.id}${c.model ? ` (${c.model})` : ''} is not represented; its disks keep their bus.` });
  }
  for (const c of source.cdroms) {
    warnings.push({ code: 'CDROM_NOT_IMPORTED', message: `CD-ROM ${c.id}${c.image ? ` with ${c.image}` : ' (empty)'} is not imported; attach the ISO after import.` });
  }
  for (const l of source.lunDisks) {
    warnings.push({ code: 'LUN_NOT_IMPORTED', message: `Direct LUN disk ${l.alias} (LUN ${l.lunId}) is not imported.` });
  }
  if (source.snapshots.some((s) => s.type !== 'ACTIVE')) {
    warnings.push({ code: 'SNAPSHOTS_NOT_IMPORTED', message: `${source.snapshots.filter((s) => s.type !== 'ACTIVE').length} snapshot(s) are not imported; the VM is imported as its current state.` });
  }

  return {
    producer: source.producer, id: vmId, name, description, clusterId: cluster.id, dataCenterId: cluster.dataCenterId, osType,
    cpuSockets: sockets, cpuCores: cores, cpuThreads: threads, memoryMb: source.memoryMb, ...availability(source, warnings),
    disks, nics, warnings, reasons: reasons.filter((r): r is Reason => r !== null),
  };
}

/** Guaranteed memory, HA with its priority, stateless: the source's, or Vireo's defaults. */
function availability(source: OvfVm, warnings: ImportWarning[]) {
  let haPriority = source.haPriority ?? 1;
  if (haPriority < 1 || haPriority > 100) {
    const fitted = Math.min(100, Math.max(1, haPriority));
    warnings.push({ code: 'IGNORED_VALUE', message: `HA priority ${haPriority} is outside 1–100; using ${fitted}.` });
    haPriority = fitted;
  }
  return {
    guaranteedMemoryMb: Math.min(source.guaranteedMemoryMb ?? source.memoryMb, source.memoryMb),
    highlyAvailable: source.highlyAvailable ?? false,
    haPriority,
    stateless: source.stateless ?? false,
  };
}

/** Every target domain is an active data domain of the cluster's data center with room for what the disks take. */
async function domainsHaveRoom(tx: Tx, dataCenterId: string, disks: PlannedDisk[]): Promise<Reason[]> {
  const ids = [...new Set(disks.flatMap((d) => (d.storageDomainId ? [d.storageDomainId] : [])))];
  const domains = await tx.storageDomain.findMany({ where: { id: { in: ids } } });
  return ids.flatMap((sdId) => {
    const sd = domains.find((d) => d.id === sdId);
    if (!sd) return [{ code: 'STORAGE_DOMAIN_NOT_FOUND', message: `Storage Domain ${sdId} does not exist.` }];
    const needed = disks.filter((d) => d.storageDomainId === sdId).reduce((sum, d) => sum + d.actualSizeBytes, 0n);
    const free = sd.capacityBytes - sd.usedBytes;
    const r = refuseWhen(sd.dataCenterId !== dataCenterId || sd.domainType !== 'DATA', 'STORAGE_DOMAIN_NOT_USABLE', `Storage Domain ${sd.name} is not a data domain of the cluster's data center.`)
      ?? refuseWhen(sd.status !== 'ACTIVE', 'STORAGE_DOMAIN_NOT_ACTIVE', `Storage Domain ${sd.name} is ${sd.status}.`)
      ?? refuseWhen(needed > free, 'STORAGE_DOMAIN_LOW_SPACE', `Storage Domain ${sd.name} has ${free} bytes free; the imported disks need ${needed}.`);
    return r ? [r] : [];
  });
}

async function networksUsable(tx: Tx, clusterId: string, nics: PlannedNic[]): Promise<Reason[]> {
  const wanted = [...new Set(nics.flatMap((n) => (n.networkId ? [n.networkId] : [])))];
  if (!wanted.length) return [];
  const attached = await tx.clusterNetwork.findMany({ where: { clusterId, networkId: { in: wanted } }, include: { network: true } });
  return wanted.flatMap((networkId) => {
    const a = attached.find((x) => x.networkId === networkId);
    const r = refuseWhen(!a, 'NETWORK_NOT_IN_CLUSTER', `Network ${networkId} is not attached to the target cluster.`)
      ?? refuseWhen(!a!.network.vmNetwork, 'NETWORK_NOT_VM_NETWORK', `Network ${a!.network.name} does not carry VM traffic.`);
    return r ? [r] : [];
  });
}
