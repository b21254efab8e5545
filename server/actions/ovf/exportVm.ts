// Export: a VM or template of the database as an OvfVm, as oVirt-flavour OVF text, and as an OVA
// (descriptor first, one qcow2 image per disk, SHA256 manifest last). Each disk's image is its
// real image on the storage domain converted with `qemu-img convert -O qcow2` (compat 1.1) into
// the engine's temporary area, then streamed; without qemu-img, or for a disk with no image file
// (template disks, snapshot volumes), the package holds an empty qcow2 of the disk's size and the
// export says so in its warnings.
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Db } from '../../db.ts';
import { NotFoundError } from '../../errors.ts';
import { writeOvirtOvf, writeOva, type OvaFileSource, type OvfVm } from '../../ovf/index.ts';
import { emptyQcow2 } from '../../../agent/storage/qcow2.ts';
import { diskImageInfo, fileFormat, imageIdOf, tempDir, type DiskRef, type DomainRef } from '../../storage/images.ts';
import { convertImage, qemuImgInstalled } from '../../../agent/storage/qemuImg.ts';

type DiskRow = DiskRef & {
  alias: string; description: string; sparse: boolean; shareable: boolean; actualSizeBytes: bigint;
  storageDomain: DomainRef;
};

/** A VM or template as OVF, with where each disk's image is. */
export interface ExportSource {
  vm: OvfVm;
  /** By disk id: the disk and its storage domain. */
  images: Map<string, { domain: DomainRef; disk: DiskRef }>;
}

function ovfDisk(d: DiskRow, attachment: { bootable: boolean; interface: OvfVm['disks'][number]['interface'] } | null, snapshotId: string | null): OvfVm['disks'][number] {
  const imageId = imageIdOf(d.id);
  return {
    id: d.id, imageId, alias: d.alias, description: d.description,
    capacityBytes: Number(d.provisionedSizeBytes), populatedBytes: Number(d.actualSizeBytes),
    file: { id: imageId, href: `${d.id}/${imageId}`, sizeBytes: null },
    format: d.format, sourceFormat: null, sparse: d.sparse,
    interface: attachment?.interface ?? 'VIRTIO_SCSI', bootable: attachment?.bootable ?? false,
    shareable: d.shareable, readOnly: false, snapshotId,
  };
}

const imagesOf = (disks: DiskRow[]) => new Map(disks.map((d) => [d.id, { domain: d.storageDomain, disk: d }]));

async function vmSource(db: Db, vmId: string): Promise<ExportSource> {
  const vm = await db.vm.findUnique({
    where: { id: vmId },
    include: {
      nics: { include: { network: true }, orderBy: { name: 'asc' } },
      diskAttachments: { where: { active: true }, include: { disk: { include: { storageDomain: true } } }, orderBy: { disk: { alias: 'asc' } } },
      snapshots: { orderBy: { createdAt: 'asc' } },
      template: { select: { id: true, name: true } },
    },
  });
  if (!vm) throw new NotFoundError('VM', vmId);
  const active = vm.snapshots.find((s) => s.type === 'ACTIVE')?.id ?? null;
  return {
    vm: {
      producer: 'ovirt', kind: 'vm', id: vm.id, sourceIdentity: `id:${vm.id}`, template: vm.template, templateVersion: null,
      name: vm.name, description: vm.description,
      os: { raw: vm.osType, type: vm.osType },
      cpu: { sockets: vm.cpuSockets, cores: vm.cpuCores, threads: vm.cpuThreads },
      memoryMb: vm.memoryMb, guaranteedMemoryMb: vm.guaranteedMemoryMb,
      highlyAvailable: vm.highlyAvailable, haPriority: vm.haPriority, stateless: vm.stateless, displayType: vm.displayType,
      disks: vm.diskAttachments.map((a) => ovfDisk(a.disk, a, active)),
      lunDisks: [],
      nics: vm.nics.map((n) => ({ id: n.id, name: n.name, network: n.network?.name ?? null, interface: n.interface, mac: n.macAddress, linked: n.linked, plugged: n.plugged })),
      controllers: [], cdroms: [],
      // A snapshot's memory volume stays on its domain (oVirt's Memory names six volume ids the package would not hold).
      snapshots: vm.snapshots.map((s) => ({ id: s.id, type: s.type, description: s.description, createdAt: s.createdAt.toISOString(), memory: null })),
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
  const t = await db.template.findUnique({ where: { id: templateId }, include: { disks: { orderBy: { alias: 'asc' }, include: { storageDomain: true } }, nics: { include: { network: true }, orderBy: { name: 'asc' } } } });
  if (!t) throw new NotFoundError('Template', templateId);
  return {
    vm: {
      producer: 'ovirt', kind: 'template', id: t.id, sourceIdentity: `id:${t.id}`, template: null, templateVersion: t.version,
      name: t.name, description: t.description,
      os: { raw: t.osType, type: t.osType },
      cpu: { sockets: t.cpuSockets, cores: t.cpuCores, threads: t.cpuThreads },
      memoryMb: t.memoryMb, guaranteedMemoryMb: t.guaranteedMemoryMb, highlyAvailable: t.highlyAvailable, haPriority: null, stateless: t.stateless,
      displayType: t.displayType,
      disks: t.disks.map((d, i) => ovfDisk(d, { bootable: i === 0, interface: 'VIRTIO_SCSI' }, null)),
      lunDisks: [], controllers: [], cdroms: [], snapshots: [], warnings: [],
      nics: t.nics.map((n) => ({ id: n.id, name: n.name, network: n.network?.name ?? null, interface: n.interface, mac: null, linked: true, plugged: true })),
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

/** An OVA ready to stream: the descriptor (with file sizes), its files, what could not be exported, and cleanup of temporary files. */
export interface PreparedOva {
  vm: OvfVm;
  files: OvaFileSource[];
  warnings: string[];
  cleanup(): Promise<void>;
}

/**
 * Converts every disk's image to qcow2 in a temporary directory (the descriptor, written first,
 * needs the sizes). On failure nothing is left behind.
 */
export async function prepareOva(source: ExportSource): Promise<PreparedOva> {
  const warnings: string[] = [];
  const files: OvaFileSource[] = [];
  const qemu = await qemuImgInstalled();
  let dir: string | null = null;
  const cleanup = async () => { if (dir) await rm(dir, { recursive: true, force: true }); };
  try {
    for (const d of source.vm.disks) {
      const name = `${d.id}/${d.imageId}`;
      const where = source.images.get(d.id);
      const info = where && qemu ? await diskImageInfo(where.domain, where.disk) : null;
      if (!info) {
        warnings.push(`Disk ${d.alias}: ${qemu ? 'it has no image file on its storage domain' : 'qemu-img is not installed'}; the package holds an empty qcow2 image of its size.`);
        const image = emptyQcow2(BigInt(d.capacityBytes));
        files.push({ name, sizeBytes: image.byteLength, content: image });
        continue;
      }
      dir ??= await tempDir('export');
      const out = path.join(dir, `${files.length}.qcow2`);
      await convertImage(info.path, fileFormat(where!.disk.format), out, 'qcow2');
      files.push({ name, sizeBytes: (await stat(out)).size, content: () => createReadStream(out) });
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
  const vm: OvfVm = { ...source.vm, disks: source.vm.disks.map((d, i) => ({ ...d, file: { ...d.file!, sizeBytes: files[i]!.sizeBytes } })) };
  return { vm, files, warnings, cleanup };
}

/**
 * Writes the OVA to `out`: `<name>.ovf`, then `<disk id>/<image id>` per disk, then `<name>.mf`
 * (SHA256 of the bytes streamed). Removes the temporary images when done. Resolves with the manifest.
 */
export async function writeOvaOf(prepared: PreparedOva, out: Writable): Promise<string> {
  try {
    return await writeOva(out, { name: `${prepared.vm.name}.ovf`, xml: writeOvirtOvf(prepared.vm) }, prepared.files);
  } finally {
    await prepared.cleanup();
  }
}
