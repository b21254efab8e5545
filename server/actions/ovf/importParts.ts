// The disks and NICs of an import plan (importPlan.ts), and the checks on where they go.
// A VM's disks get images and attachments (bus, boot flag); a template's disks are metadata only,
// and keep neither bus nor boot flag (VMs made from it attach them VIRTIO_SCSI, the first booting),
// so what a template cannot keep is a warning. Template NICs have no MAC and are always plugged.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db.ts';
import { objectName } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import type { Reason } from '../../errors.ts';
import { isUuid, type OvfVm } from '../../ovf/index.ts';
import type { DiskFormat, DiskInterface, NicInterface } from '../../../generated/prisma/enums.ts';
import type { ImportKind, ImportVmParams, ImportWarning } from './importParams.ts';

const INITIAL_THIN_BYTES = 1n << 20n;

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
  /** The converted image a host has staged, moved into place on import; null: an empty image is created (VMs) or none (templates). */
  image: { hostId: string; stageId: string } | null;
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
  /** The MAC from the file when it is free; null: the pool gives one (templates: none). */
  macAddress: string | null;
  linked: boolean;
  plugged: boolean;
}

/** What the disk and NIC planners need besides the descriptor. */
export interface PartsContext {
  tx: Tx;
  p: ImportVmParams;
  kind: ImportKind;
  /** The new object's name (default disk aliases). */
  name: string;
  warnings: ImportWarning[];
  reasons: (Reason | null)[];
}

/** Makes a name fit oVirt's object-name rule (letters, digits, '_', '-', '.'; at most 64). */
export function fitName(raw: string): string {
  const n = raw
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .slice(0, 64);
  return n || 'imported';
}

/** The source id kept when it is a UUID and this is not a clone; else a new one. Refuses an id already taken. */
async function keptId(
  c: PartsContext,
  sourceId: string,
  taken: (id: string) => Promise<boolean>,
  refusal: (id: string) => Reason,
): Promise<string> {
  if (c.p.clone || !isUuid(sourceId)) return randomUUID();
  const id = sourceId.toLowerCase();
  if (await taken(id)) c.reasons.push(refusal(id));
  return id;
}

/** Where the disk's data comes from, with what it takes on its domain; warns when the data is not imported. */
function diskData(c: PartsContext, d: OvfVm['disks'][number], provisionedSizeBytes: bigint) {
  const packageFiles = new Map(c.p.files.map((f) => [f.name.replace(/^\.\//, ''), f]));
  const file = d.file ? packageFiles.get(d.file.href.replace(/^\.\//, '')) : undefined;
  const empty = d.sparse ? (provisionedSizeBytes < INITIAL_THIN_BYTES ? provisionedSizeBytes : INITIAL_THIN_BYTES) : provisionedSizeBytes;
  if (c.kind === 'template') {
    c.warnings.push({
      code: 'DISK_DATA_NOT_IMPORTED',
      message: `Disk ${d.alias}: template disks are metadata only in Vireo${file ? `; the image ${file.name} in the package is not imported` : ''}.`,
    });
    return { actualSizeBytes: empty, image: null, hasData: false };
  }
  if (file?.image) {
    // qcow2 and VMDK sizes are whole sectors.
    const capacity = ((provisionedSizeBytes + 511n) / 512n) * 512n;
    c.reasons.push(
      refuseWhen(
        file.image.virtualSizeBytes > capacity,
        'OVF_IMAGE_LARGER_THAN_DISK',
        `Disk ${d.alias}: the image ${file.name} has a virtual size of ${file.image.virtualSizeBytes} bytes, more than the disk's capacity of ${provisionedSizeBytes} bytes.`,
      ),
    );
    // A thin disk takes what its data takes (before conversion: at most the file's size); a preallocated one its full size.
    const data = file.converted?.actualSizeBytes ?? file.sizeBytes;
    return {
      actualSizeBytes: d.sparse ? (data < provisionedSizeBytes ? data : provisionedSizeBytes) : empty,
      image: file.converted ? { hostId: file.image.hostId, stageId: file.converted.stageId } : null,
      hasData: true,
    };
  }
  if (file) {
    c.warnings.push({
      code: 'DISK_DATA_NOT_CONVERTED',
      message: `Disk ${d.alias}: the image ${file.name} (${file.sizeBytes} bytes) cannot be converted (qemu-img is not installed on the host that received it); the disk is created empty.`,
    });
  } else {
    c.warnings.push({
      code: 'DISK_DATA_NOT_IMPORTED',
      message: `Disk ${d.alias}: ${c.p.source === 'OVA' ? 'the package holds no image for it' : 'imported from the descriptor alone'}; it is created empty.`,
    });
  }
  return { actualSizeBytes: empty, image: null, hasData: false };
}

/** Template disks keep no bus and boot from the first (by alias): warns where the source says otherwise. */
function templateDiskLimits(disks: PlannedDisk[], warnings: ImportWarning[]): void {
  const ordered = [...disks].sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0));
  ordered.forEach((d, i) => {
    if (d.interface !== 'VIRTIO_SCSI')
      warnings.push({
        code: 'IGNORED_VALUE',
        message: `Disk ${d.alias} is on ${d.interface}; template disks keep no bus, and VMs made from the template attach it as VIRTIO_SCSI.`,
      });
    if (d.bootable !== (i === 0))
      warnings.push({
        code: 'BOOT_ORDER',
        message: `Disk ${d.alias} is${d.bootable ? '' : ' not'} bootable in the source; VMs made from the template boot from the first disk by alias (${ordered[0]!.alias}).`,
      });
  });
}

/** The disks to create, each with its target domain and data; refusals for unknown mappings, missing domains, taken ids. */
export async function planDisks(c: PartsContext, source: OvfVm): Promise<PlannedDisk[]> {
  const { p, reasons, warnings } = c;
  for (const d of p.disks.filter((m) => !source.disks.some((s) => s.id === m.sourceId))) {
    reasons.push({ code: 'OVF_DISK_NOT_IN_DESCRIPTOR', message: `The descriptor has no disk "${d.sourceId}".` });
  }
  const disks: PlannedDisk[] = [];
  for (const d of source.disks) {
    const storageDomainId = p.disks.find((m) => m.sourceId === d.id)?.storageDomainId ?? p.storageDomainId ?? null;
    if (!storageDomainId)
      reasons.push({
        code: 'OVF_DISK_NO_STORAGE_DOMAIN',
        message: `Disk ${d.alias} has no target storage domain; give a default one or one for the disk.`,
      });
    const provisionedSizeBytes = BigInt(Math.ceil(d.capacityBytes));
    if (provisionedSizeBytes <= 0n) reasons.push({ code: 'OVF_INVALID', message: `Disk ${d.alias} has no size.` });
    const data = diskData(c, d, provisionedSizeBytes);
    const diskId = await keptId(
      c,
      d.id,
      async (x) => (await c.tx.disk.count({ where: { id: x } })) > 0,
      (x) => ({
        code: 'DISK_ALREADY_EXISTS',
        message: `Disk ${d.alias} (${x}) already exists; import with clone to copy it with new ids.`,
      }),
    );
    if (d.readOnly)
      warnings.push({ code: 'IGNORED_VALUE', message: `Disk ${d.alias} is read-only in the source; Vireo attaches it read-write.` });
    disks.push({
      sourceId: d.id,
      id: diskId,
      alias: (d.alias || `${c.name}_Disk${disks.length + 1}`).slice(0, 255),
      description: d.description.slice(0, 1024),
      storageDomainId,
      provisionedSizeBytes,
      format: d.format,
      sparse: d.sparse,
      shareable: d.shareable,
      bootable: d.bootable,
      interface: d.interface,
      ...data,
    });
  }
  if (c.kind === 'template') templateDiskLimits(disks, warnings);
  return disks;
}

/** The NICs to create, with their target networks and MACs; warnings for unmapped networks and taken MACs. */
export async function planNics(c: PartsContext, source: OvfVm): Promise<PlannedNic[]> {
  const { p, warnings, tx } = c;
  const template = c.kind === 'template';
  const sourceNetworks = new Set(source.nics.map((n) => n.network).filter((n): n is string => n !== null));
  for (const m of p.networks) {
    if (!sourceNetworks.has(m.source))
      warnings.push({
        code: 'NETWORK_MAPPING_UNUSED',
        message: `No NIC of the ${template ? 'template' : 'VM'} is on source network "${m.source}".`,
      });
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
    let plugged = n.plugged;
    if (n.network !== null && !mapping) {
      plugged = template;
      warnings.push({
        code: 'NIC_NETWORK_UNMAPPED',
        message: `NIC ${nicName} is on source network "${n.network}", which is not mapped; it is left without a network${template ? '' : ', unplugged'}.`,
      });
    }
    let macAddress: string | null = null;
    if (template) {
      if (!n.linked || !n.plugged)
        warnings.push({
          code: 'IGNORED_VALUE',
          message: `NIC ${nicName} is ${n.linked ? 'unplugged' : 'unlinked'} in the source; template NICs are linked and plugged.`,
        });
      if (n.mac)
        warnings.push({
          code: 'IGNORED_VALUE',
          message: `NIC ${nicName}: template NICs have no MAC; ${n.mac} is not kept (each VM made from the template gets its own).`,
        });
    } else if (n.mac) {
      const inUse = usedMacs.has(n.mac) || (await tx.vmNic.count({ where: { macAddress: n.mac } })) > 0;
      if (inUse)
        warnings.push({
          code: 'MAC_REASSIGNED',
          message: `NIC ${nicName}: MAC ${n.mac} is already used; a new one comes from the MAC pool.`,
        });
      else {
        macAddress = n.mac;
        usedMacs.add(n.mac);
      }
    }
    const taken = async (x: string) =>
      (await (template ? tx.templateNic.count({ where: { id: x } }) : tx.vmNic.count({ where: { id: x } }))) > 0;
    const nicId = await keptId(c, n.id, taken, (x) => ({
      code: 'NIC_ALREADY_EXISTS',
      message: `NIC ${nicName} (${x}) already exists; import with clone to copy it with new ids.`,
    }));
    nics.push({
      sourceId: n.id,
      id: nicId,
      name: nicName,
      sourceNetwork: n.network,
      networkId: mapping?.networkId ?? null,
      interface: n.interface,
      macAddress,
      linked: template || n.linked,
      plugged,
    });
  }
  return nics;
}

/** Every target domain is an active data domain of the cluster's data center with room for what the disks take. */
export async function domainsHaveRoom(tx: Tx, dataCenterId: string, disks: PlannedDisk[]): Promise<Reason[]> {
  const ids = [...new Set(disks.flatMap((d) => (d.storageDomainId ? [d.storageDomainId] : [])))];
  const domains = await tx.storageDomain.findMany({ where: { id: { in: ids } } });
  return ids.flatMap((sdId) => {
    const sd = domains.find((d) => d.id === sdId);
    if (!sd) return [{ code: 'STORAGE_DOMAIN_NOT_FOUND', message: `Storage Domain ${sdId} does not exist.` }];
    const needed = disks.filter((d) => d.storageDomainId === sdId).reduce((sum, d) => sum + d.actualSizeBytes, 0n);
    const free = sd.capacityBytes - sd.usedBytes;
    const r =
      refuseWhen(
        sd.dataCenterId !== dataCenterId || sd.domainType !== 'DATA',
        'STORAGE_DOMAIN_NOT_USABLE',
        `Storage Domain ${sd.name} is not a data domain of the cluster's data center.`,
      ) ??
      refuseWhen(sd.status !== 'ACTIVE', 'STORAGE_DOMAIN_NOT_ACTIVE', `Storage Domain ${sd.name} is ${sd.status}.`) ??
      refuseWhen(
        needed > free,
        'STORAGE_DOMAIN_LOW_SPACE',
        `Storage Domain ${sd.name} has ${free} bytes free; the imported disks need ${needed}.`,
      );
    return r ? [r] : [];
  });
}

/** Every network a NIC goes to is attached to the cluster and carries VM traffic. */
export async function networksUsable(tx: Tx, clusterId: string, nics: PlannedNic[]): Promise<Reason[]> {
  const wanted = [...new Set(nics.flatMap((n) => (n.networkId ? [n.networkId] : [])))];
  if (!wanted.length) return [];
  const attached = await tx.clusterNetwork.findMany({ where: { clusterId, networkId: { in: wanted } }, include: { network: true } });
  return wanted.flatMap((networkId) => {
    const a = attached.find((x) => x.networkId === networkId);
    const r =
      refuseWhen(!a, 'NETWORK_NOT_IN_CLUSTER', `Network ${networkId} is not attached to the target cluster.`) ??
      refuseWhen(!a!.network.vmNetwork, 'NETWORK_NOT_VM_NETWORK', `Network ${a!.network.name} does not carry VM traffic.`);
    return r ? [r] : [];
  });
}
