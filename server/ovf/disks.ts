// Reading References and DiskSection: image disks, ISO images (CDs, not disks) and oVirt's direct LUNs.
import { OvfInvalidError } from './errors.ts';
import { attr, attrNs, children, XSI_NS } from './dom.ts';
import { mapOvirtDiskInterface } from './devices.ts';
import { toBytes } from './units.ts';
import type { OvfDisk, OvfDiskFormat, OvfFile, OvfLunDisk, OvfWarning } from './types.ts';
import type { XmlElement } from './xml.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** oVirt's file href: `<image group id>/<image id>`. */
const OVIRT_HREF = /^([0-9a-f-]{36})\/([0-9a-f-]{36})$/i;

export interface FileRef extends OvfFile {
  storageType: string | null;
}

/** Everything DiskSection holds, keyed for resolution of hardware items. */
export interface DiskCatalog {
  /** Image disks in DiskSection order, keyed by ovf:diskId. */
  disks: Map<string, OvfDisk>;
  /** ISO images (ovf:diskId → file href). */
  isos: Map<string, string>;
  luns: OvfLunDisk[];
  files: FileRef[];
  /** diskIds whose bus (oVirt's ovf:disk-interface) or boot flag the Disk element states itself. */
  explicitBus: Set<string>;
  explicitBoot: Set<string>;
}

function size(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  return toBytes(value, 'byte');
}

/** Reads References/File elements. */
export function readReferences(references: XmlElement | undefined, warnings: OvfWarning[]): FileRef[] {
  if (!references) return [];
  return children(references, 'File').map((f) => {
    const href = attr(f, 'href');
    const id = attr(f, 'id') ?? href;
    if (!href || !id) throw new OvfInvalidError('a References/File has no ovf:href');
    if (attr(f, 'compression') || attr(f, 'chunkSize'))
      warnings.push({ code: 'IGNORED_VALUE', message: `File ${href} is compressed or chunked; that is not supported.` });
    return { id, href, sizeBytes: size(attr(f, 'size')), storageType: attr(f, 'disk_storage_type') };
  });
}

function findFile(files: FileRef[], ref: string | null): FileRef | undefined {
  if (!ref) return undefined;
  return files.find((f) => f.id === ref) ?? files.find((f) => f.href === ref);
}

function isIso(file: FileRef | undefined, format: string | null): boolean {
  return /\.iso$/i.test(file?.href ?? '') || /iso|ecma-119/i.test(format ?? '');
}

function formatOf(volumeFormat: string | null, uri: string | null): OvfDiskFormat {
  const v = (volumeFormat ?? '').toUpperCase();
  if (v === 'RAW' || v === 'COW') return v;
  // oVirt marks RAW with VMware's "#sparse" URI and COW with the qcow URI.
  if (/vmdk\.html#sparse$/i.test(uri ?? '')) return 'RAW';
  return /qcow|vmdk|vhd|vdi/i.test(uri ?? '') ? 'COW' : 'RAW';
}

function bool(value: string | null, fallback: boolean): boolean {
  return value === null ? fallback : value.trim().toLowerCase() === 'true';
}

function readLun(d: XmlElement, diskId: string): OvfLunDisk {
  const gib = attr(d, 'device_size');
  return {
    id: diskId,
    alias: attr(d, 'disk-alias') ?? diskId,
    description: attr(d, 'disk-description') ?? '',
    lunId: attr(d, 'lun_id') ?? '',
    sizeBytes: gib === null ? null : toBytes(gib, 'byte * 2^30'),
    interface: mapOvirtDiskInterface(attr(d, 'disk-interface')).bus,
    bootable: bool(attr(d, 'boot'), false),
    shareable: bool(attr(d, 'shareable'), false),
    readOnly: bool(attr(d, 'read-only'), false),
    connections: children(d, 'Connection').map((c) => ({
      address: attr(c, 'connection') ?? '',
      port: attr(c, 'port') ?? '',
      iqn: attr(c, 'iqn') ?? '',
      storageType: attrNs(c, XSI_NS, 'storage_type') ?? attr(c, 'storage_type') ?? '',
    })),
  };
}

function capacityOf(d: XmlElement, diskId: string): number {
  const capacity = attr(d, 'capacity');
  if (capacity !== null) {
    const units = attr(d, 'capacityAllocationUnits');
    const bytes = toBytes(capacity, units ?? 'byte');
    if (bytes === null)
      throw new OvfInvalidError(`disk ${diskId}: capacity "${capacity}" in units "${units ?? 'byte'}" is not a usable size`);
    return bytes;
  }
  const gib = attr(d, 'size'); // oVirt: GiB
  const bytes = gib === null ? null : toBytes(gib, 'byte * 2^30');
  if (bytes === null) throw new OvfInvalidError(`disk ${diskId} has no usable ovf:capacity or ovf:size`);
  return bytes;
}

/** Reads the DiskSection against the References. `vmName` names disks that have no alias. */
export function readDiskSection(section: XmlElement | undefined, files: FileRef[], vmName: string, warnings: OvfWarning[]): DiskCatalog {
  const catalog: DiskCatalog = { disks: new Map(), isos: new Map(), luns: [], files, explicitBus: new Set(), explicitBoot: new Set() };
  if (!section) return catalog;
  for (const d of children(section, 'Disk')) {
    const diskId = attr(d, 'diskId');
    if (!diskId) throw new OvfInvalidError('a DiskSection/Disk has no ovf:diskId');
    if (catalog.disks.has(diskId) || catalog.isos.has(diskId)) throw new OvfInvalidError(`disk id ${diskId} is used twice`);
    const fileRef = attr(d, 'fileRef');
    const file = findFile(files, fileRef);
    if (fileRef && !file) throw new OvfInvalidError(`disk ${diskId} refers to file "${fileRef}", which References does not list`);
    const uri = attr(d, 'format');
    if (attr(d, 'lun_id') !== null || file?.storageType === 'LUN') {
      const lun = readLun(d, diskId);
      catalog.luns.push(lun);
      warnings.push({ code: 'DIRECT_LUN', message: `Direct LUN disk "${lun.alias}" (LUN ${lun.lunId}) cannot be created by Vireo.` });
      continue;
    }
    if (isIso(file, uri)) {
      catalog.isos.set(diskId, file?.href ?? diskId);
      continue;
    }
    const populated = attr(d, 'populatedSize');
    const actualGib = attr(d, 'actual_size');
    const actual = actualGib === null ? null : toBytes(actualGib, 'byte * 2^30');
    const volumeType = attr(d, 'volume-type');
    const format = formatOf(attr(d, 'volume-format'), uri);
    const parentRef = attr(d, 'parentRef');
    if (parentRef)
      warnings.push({ code: 'IGNORED_VALUE', message: `Disk ${diskId}: the snapshot chain (parent ${parentRef}) is not represented.` });
    const ovirtHref = file ? OVIRT_HREF.exec(file.href) : null;
    const iface = attr(d, 'disk-interface');
    const mapped = mapOvirtDiskInterface(iface);
    if (iface !== null && !mapped.exact)
      warnings.push({ code: 'UNMAPPED_VALUE', message: `Disk ${diskId}: interface "${iface}" mapped to ${mapped.bus}.` });
    if (iface !== null) catalog.explicitBus.add(diskId);
    if (attr(d, 'boot') !== null) catalog.explicitBoot.add(diskId);
    const n = catalog.disks.size + 1;
    catalog.disks.set(diskId, {
      id: ovirtHref && UUID.test(diskId) ? ovirtHref[1]! : diskId,
      imageId: ovirtHref && UUID.test(diskId) ? diskId : null,
      alias: attr(d, 'disk-alias') || `${vmName}_Disk${n}`,
      description: attr(d, 'disk-description') ?? '',
      capacityBytes: capacityOf(d, diskId),
      populatedBytes: populated !== null ? size(populated) : actual ? actual : null,
      file: file ? { id: file.id, href: file.href, sizeBytes: file.sizeBytes } : null,
      format,
      sourceFormat: uri || null,
      sparse: volumeType !== null ? volumeType.toLowerCase() === 'sparse' : format === 'COW',
      // Without oVirt's disk-interface, the bus comes from the item's controller (set by the reader).
      interface: mapped.bus,
      bootable: bool(attr(d, 'boot'), false),
      shareable: bool(attr(d, 'shareable'), false),
      readOnly: bool(attr(d, 'read-only'), false),
      snapshotId: attr(d, 'vm_snapshot_id') || null,
    });
  }
  return catalog;
}
