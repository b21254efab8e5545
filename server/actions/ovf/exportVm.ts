// Export: a VM or template of the database as an OvfVm, as oVirt-flavour OVF text, and as an OVA
// (descriptor first, one empty qcow2 image per disk, SHA256 manifest last). Disk contents are not
// copied yet (Vireo has no image data path): every image in the package is an empty, valid qcow2
// of the disk's virtual size.
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Db } from '../../db.ts';
import { NotFoundError } from '../../errors.ts';
import { writeOvirtOvf, writeOva, type OvaFileSource, type OvfVm } from '../../ovf/index.ts';
import { emptyQcow2 } from './qcow2.ts';

/** oVirt disks have an image (volume) id besides the disk id; Vireo derives a stable one from the disk id. */
export function imageIdOf(diskId: string): string {
  const h = createHash('sha1').update(`vireo-image:${diskId}`).digest('hex');
  // Shaped as a version 5 UUID, variant 10.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type DiskRow = {
  id: string; alias: string; description: string; format: 'RAW' | 'COW'; sparse: boolean; shareable: boolean;
  provisionedSizeBytes: bigint; actualSizeBytes: bigint;
};

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

/** The VM as an OVF description, from the database: hardware, OS, disks, NICs with network names, snapshots. */
export async function describeVm(db: Db, vmId: string): Promise<OvfVm> {
  const vm = await db.vm.findUnique({
    where: { id: vmId },
    include: {
      nics: { include: { network: true }, orderBy: { name: 'asc' } },
      diskAttachments: { where: { active: true }, include: { disk: true }, orderBy: { disk: { alias: 'asc' } } },
      snapshots: { orderBy: { createdAt: 'asc' } },
    },
  });
  if (!vm) throw new NotFoundError('VM', vmId);
  const active = vm.snapshots.find((s) => s.type === 'ACTIVE')?.id ?? null;
  return {
    producer: 'ovirt', id: vm.id, name: vm.name, description: vm.description,
    os: { raw: vm.osType, type: vm.osType },
    cpu: { sockets: vm.cpuSockets, cores: vm.cpuCores, threads: vm.cpuThreads },
    memoryMb: vm.memoryMb,
    disks: vm.diskAttachments.map((a) => ovfDisk(a.disk, a, active)),
    lunDisks: [],
    nics: vm.nics.map((n) => ({ id: n.id, name: n.name, network: n.network?.name ?? null, interface: n.interface, mac: n.macAddress, linked: n.linked, plugged: n.plugged })),
    controllers: [], cdroms: [],
    snapshots: vm.snapshots.map((s) => ({ id: s.id, type: s.type, description: s.description, createdAt: s.createdAt.toISOString(), memory: null })),
    warnings: [],
  };
}

/** A template as an OVF description (templates have hardware and disks, no NICs in Vireo yet). */
export async function describeTemplate(db: Db, templateId: string): Promise<OvfVm> {
  const t = await db.template.findUnique({ where: { id: templateId }, include: { disks: { orderBy: { alias: 'asc' } } } });
  if (!t) throw new NotFoundError('Template', templateId);
  return {
    producer: 'ovirt', id: t.id, name: t.name, description: t.description,
    os: { raw: t.osType, type: t.osType },
    cpu: { sockets: t.cpuSockets, cores: t.cpuCores, threads: t.cpuThreads },
    memoryMb: t.memoryMb,
    disks: t.disks.map((d, i) => ovfDisk(d, { bootable: i === 0, interface: 'VIRTIO_SCSI' }, null)),
    lunDisks: [], nics: [], controllers: [], cdroms: [], snapshots: [], warnings: [],
  };
}

export type ExportKind = 'vm' | 'template';

export async function describe(db: Db, kind: ExportKind, id: string): Promise<OvfVm> {
  return kind === 'vm' ? describeVm(db, id) : describeTemplate(db, id);
}

/** oVirt-flavour OVF text of a VM or template. */
export async function ovfText(db: Db, kind: ExportKind, id: string): Promise<string> {
  return writeOvirtOvf(await describe(db, kind, id));
}

/**
 * Writes the OVA of a VM or template to `out`: `<name>.ovf`, then `<disk id>/<image id>` per disk
 * (an empty qcow2 of the disk's virtual size), then `<name>.mf`. Resolves with the manifest.
 */
export async function writeOvaOf(vm: OvfVm, out: Writable): Promise<string> {
  const files: OvaFileSource[] = vm.disks.map((d) => {
    const image = emptyQcow2(BigInt(d.capacityBytes));
    return { name: `${d.id}/${d.imageId}`, sizeBytes: image.byteLength, content: image };
  });
  const withSizes: OvfVm = { ...vm, disks: vm.disks.map((d, i) => ({ ...d, file: { ...d.file!, sizeBytes: files[i]!.sizeBytes } })) };
  return writeOva(out, { name: `${vm.name}.ovf`, xml: writeOvirtOvf(withSizes) }, files);
}
