// Export: a VM or template of the database as an OvfVm, as oVirt-flavour OVF text, and as an OVA
// (descriptor first, one qcow2 image per disk, SHA256 manifest last). Each disk's image is
// converted to qcow2 (compat 1.1) by a host of its data center into the host's staging area
// (stageVolume), then PUT by the host straight into the package as it streams (sendStage, over a
// one-time transfer ticket). A disk with no image file (template disks, snapshot volumes), or a
// host without qemu-img, gives an empty qcow2 of the disk's size, and the export says so in its
// warnings. With no host to do it, the export is refused (NO_HOST_FOR_STORAGE).
import { randomUUID } from 'node:crypto';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { Db } from '../../db.ts';
import type { Engine } from '../../engine.ts';
import { NotFoundError } from '../../errors.ts';
import { writeOvirtOvf, writeOva, type OvaFileSource, type OvfVm } from '../../ovf/index.ts';
import { imageIdOf, volumeRef } from '../../storage/volumeRef.ts';
import { storageHost, type StorageHost } from '../../storage/storageHost.ts';
import { awaitUpload } from '../../storage/transfers.ts';

interface DomainRef {
  id: string;
  path: string;
  dataCenterId: string | null;
}
interface DiskRef {
  id: string;
  imageId: string | null;
  format: 'RAW' | 'COW';
  provisionedSizeBytes: bigint;
}

type DiskRow = DiskRef & {
  alias: string;
  description: string;
  sparse: boolean;
  shareable: boolean;
  actualSizeBytes: bigint;
  storageDomain: DomainRef;
};

/** A VM or template as OVF, with where each disk's image is. */
export interface ExportSource {
  vm: OvfVm;
  /** By disk id: the disk and its storage domain. */
  images: Map<string, { domain: DomainRef; disk: DiskRef }>;
}

function ovfDisk(
  d: DiskRow,
  attachment: { bootable: boolean; interface: OvfVm['disks'][number]['interface'] } | null,
  snapshotId: string | null,
): OvfVm['disks'][number] {
  const imageId = imageIdOf(d.id);
  return {
    id: d.id,
    imageId,
    alias: d.alias,
    description: d.description,
    capacityBytes: Number(d.provisionedSizeBytes),
    populatedBytes: Number(d.actualSizeBytes),
    file: { id: imageId, href: `${d.id}/${imageId}`, sizeBytes: null },
    format: d.format,
    sourceFormat: null,
    sparse: d.sparse,
    interface: attachment?.interface ?? 'VIRTIO_SCSI',
    bootable: attachment?.bootable ?? false,
    shareable: d.shareable,
    readOnly: false,
    snapshotId,
  };
}

const imagesOf = (disks: DiskRow[]) => new Map(disks.map((d) => [d.id, { domain: d.storageDomain, disk: d }]));

async function vmSource(db: Db, vmId: string): Promise<ExportSource> {
  const vm = await db.vm.findUnique({
    where: { id: vmId },
    include: {
      nics: { include: { network: true }, orderBy: { name: 'asc' } },
      diskAttachments: {
        where: { active: true },
        include: { disk: { include: { storageDomain: true } } },
        orderBy: { disk: { alias: 'asc' } },
      },
      snapshots: { orderBy: { createdAt: 'asc' } },
      template: { select: { id: true, name: true } },
    },
  });
  if (!vm) throw new NotFoundError('VM', vmId);
  const active = vm.snapshots.find((s) => s.type === 'ACTIVE')?.id ?? null;
  return {
    vm: {
      producer: 'ovirt',
      kind: 'vm',
      id: vm.id,
      sourceIdentity: `id:${vm.id}`,
      template: vm.template,
      templateVersion: null,
      name: vm.name,
      description: vm.description,
      os: { raw: vm.osType, type: vm.osType },
      cpu: { sockets: vm.cpuSockets, cores: vm.cpuCores, threads: vm.cpuThreads },
      memoryMb: vm.memoryMb,
      guaranteedMemoryMb: vm.guaranteedMemoryMb,
      highlyAvailable: vm.highlyAvailable,
      haPriority: vm.haPriority,
      stateless: vm.stateless,
      displayType: vm.displayType,
      disks: vm.diskAttachments.map((a) => ovfDisk(a.disk, a, active)),
      lunDisks: [],
      nics: vm.nics.map((n) => ({
        id: n.id,
        name: n.name,
        network: n.network?.name ?? null,
        interface: n.interface,
        mac: n.macAddress,
        linked: n.linked,
        plugged: n.plugged,
      })),
      controllers: [],
      cdroms: [],
      // A snapshot's memory volume stays on its domain (oVirt's Memory names six volume ids the package would not hold).
      snapshots: vm.snapshots.map((s) => ({
        id: s.id,
        type: s.type,
        description: s.description,
        createdAt: s.createdAt.toISOString(),
        memory: null,
      })),
      warnings: [],
    },
    images: imagesOf(vm.diskAttachments.map((a) => a.disk)),
  };
}

/**
 * Templates: hardware, settings, disks and NICs (without MACs: each VM made from one gets its own).
 * Written as oVirt writes a template (TemplateId = its own id). Template disks keep no bus and the
 * first one is the boot disk, as VMs made from the template get them.
 */
async function templateSource(db: Db, templateId: string): Promise<ExportSource> {
  const t = await db.template.findUnique({
    where: { id: templateId },
    include: {
      disks: { orderBy: { alias: 'asc' }, include: { storageDomain: true } },
      nics: { include: { network: true }, orderBy: { name: 'asc' } },
    },
  });
  if (!t) throw new NotFoundError('Template', templateId);
  return {
    vm: {
      producer: 'ovirt',
      kind: 'template',
      id: t.id,
      sourceIdentity: `id:${t.id}`,
      template: null,
      templateVersion: t.version,
      name: t.name,
      description: t.description,
      os: { raw: t.osType, type: t.osType },
      cpu: { sockets: t.cpuSockets, cores: t.cpuCores, threads: t.cpuThreads },
      memoryMb: t.memoryMb,
      guaranteedMemoryMb: t.guaranteedMemoryMb,
      highlyAvailable: t.highlyAvailable,
      haPriority: null,
      stateless: t.stateless,
      displayType: t.displayType,
      disks: t.disks.map((d, i) => ovfDisk(d, { bootable: i === 0, interface: 'VIRTIO_SCSI' }, null)),
      lunDisks: [],
      controllers: [],
      cdroms: [],
      snapshots: [],
      warnings: [],
      nics: t.nics.map((n) => ({
        id: n.id,
        name: n.name,
        network: n.network?.name ?? null,
        interface: n.interface,
        mac: null,
        linked: true,
        plugged: true,
      })),
    },
    images: imagesOf(t.disks),
  };
}

export type ExportKind = 'vm' | 'template';

export async function exportSource(db: Db, kind: ExportKind, id: string): Promise<ExportSource> {
  return kind === 'vm' ? vmSource(db, id) : templateSource(db, id);
}

/** The VM as an OVF description, from the database: hardware, OS, HA, disks, NICs with network names, snapshots. */
export async function describeVm(db: Db, vmId: string): Promise<OvfVm> {
  return (await vmSource(db, vmId)).vm;
}

/** oVirt-flavour OVF text of a VM or template. */
export async function ovfText(db: Db, kind: ExportKind, id: string): Promise<string> {
  return writeOvirtOvf((await exportSource(db, kind, id)).vm);
}

/** An OVA ready to stream: the descriptor (with file sizes), its files, what could not be exported, and cleanup of the staged files. */
export interface PreparedOva {
  vm: OvfVm;
  files: OvaFileSource[];
  warnings: string[];
  cleanup(): Promise<void>;
}

/** The bytes of a staged file, as the host PUTs them (the host is asked when the package reaches the file). */
function fromHost(engine: Engine, host: StorageHost, stageId: string): Readable {
  const out = new PassThrough();
  const ticket = awaitUpload(out);
  engine.hosts.storage(host, { type: 'sendStage', stageId, transferPath: ticket.path }).catch((e: unknown) => {
    ticket.revoke();
    out.destroy(e as Error);
  });
  return out;
}

/**
 * Has a host of each disk's data center stage the disk as qcow2 (the descriptor, written first,
 * needs the sizes). On failure nothing is left staged.
 */
export async function prepareOva(engine: Engine, source: ExportSource): Promise<PreparedOva> {
  const warnings: string[] = [];
  const files: OvaFileSource[] = [];
  const staged: { host: StorageHost; stageId: string }[] = [];
  const title = `export ${source.vm.kind === 'vm' ? 'VM' : 'Template'}`;
  const cleanup = async () => {
    for (const host of new Map(staged.map((s) => [s.host.id, s.host])).values()) {
      const stageIds = staged.filter((s) => s.host.id === host.id).map((s) => s.stageId);
      await engine.hosts
        .storage(host, { type: 'discardStages', stageIds })
        .catch((e: unknown) => console.error(`could not discard the export's staged files on ${host.name}:`, e));
    }
  };
  try {
    for (const d of source.vm.disks) {
      const { domain, disk } = source.images.get(d.id)!;
      if (!domain.dataCenterId) throw new Error(`the storage domain of disk ${d.alias} is not attached to a data center`);
      const host = await storageHost(engine, domain.dataCenterId, title);
      const stageId = randomUUID();
      staged.push({ host, stageId });
      const r = await engine.hosts.storage(host, {
        type: 'stageVolume',
        volume: volumeRef(domain, disk),
        format: disk.format,
        sizeBytes: Number(disk.provisionedSizeBytes),
        stageId,
      });
      if (r.empty) {
        const why = r.empty === 'noImage' ? 'it has no image file on its storage domain' : `qemu-img is not installed on host ${host.name}`;
        warnings.push(`Disk ${d.alias}: ${why}; the package holds an empty qcow2 image of its size.`);
      }
      files.push({ name: `${d.id}/${d.imageId}`, sizeBytes: r.sizeBytes, content: () => fromHost(engine, host, stageId) });
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
  const vm: OvfVm = {
    ...source.vm,
    disks: source.vm.disks.map((d, i) => ({ ...d, file: { ...d.file!, sizeBytes: files[i]!.sizeBytes } })),
  };
  return { vm, files, warnings, cleanup };
}

/**
 * Writes the OVA to `out`: `<name>.ovf`, then `<disk id>/<image id>` per disk, then `<name>.mf`
 * (SHA256 of the bytes streamed). Discards what is still staged when done. Resolves with the manifest.
 */
export async function writeOvaOf(prepared: PreparedOva, out: Writable): Promise<string> {
  try {
    return await writeOva(out, { name: `${prepared.vm.name}.ovf`, xml: writeOvirtOvf(prepared.vm) }, prepared.files);
  } finally {
    await prepared.cleanup();
  }
}
