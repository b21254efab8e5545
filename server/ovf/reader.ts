// Reading an OVF descriptor (oVirt, VMware ovftool/vCenter, VirtualBox) into an OvfVm.
import { OvfInvalidError } from './errors.ts';
import { attr, attrNs, child, childText, children, descendants, isOvfNs, sectionKind, sections, VBOX_NS, VMW_NS, VSSD_NS } from './dom.ts';
import { busForController, normaliseMac } from './devices.ts';
import { readDiskSection, readReferences, type DiskCatalog } from './disks.ts';
import { readHardware, type Hardware } from './hardware.ts';
import { sourceIdentity } from './identity.ts';
import { isUuid } from './ovirtIds.ts';
import { readOvirtContent } from './ovirtContent.ts';
import { normaliseOs } from './os.ts';
import { parseXml } from './xml.ts';
import type { OvfCdrom, OvfDisk, OvfOs, OvfProducer, OvfSnapshot, OvfSnapshotType, OvfVm, OvfWarning } from './types.ts';
import type { XmlElement } from './xml.ts';

export interface ReadOvfOptions {
  /** Refuse descriptors larger than this many bytes (default 4 MiB). */
  maxBytes?: number;
}

const SNAPSHOT_TYPES = new Set<OvfSnapshotType>(['ACTIVE', 'REGULAR', 'PREVIEW', 'STATELESS']);
const VS_HANDLED = new Set([
  'Info',
  'Name',
  'Description',
  'OperatingSystemSection',
  'VirtualHardwareSection',
  'SnapshotsSection',
  'AnnotationSection',
]);

/**
 * Reads an OVF descriptor into a typed description of its VM or (oVirt) template. Throws OvfMalformedError, OvfUnsafeError or
 * OvfTooLargeError for bad XML, and OvfInvalidError when a required part (Envelope, VirtualSystem,
 * VirtualHardwareSection, CPU, memory, name, a referenced disk) is missing. Everything present that
 * the description cannot hold is listed in `warnings`.
 */
export function readOvf(xml: string | Uint8Array, options: ReadOvfOptions = {}): OvfVm {
  const root = parseXml(xml, options.maxBytes);
  if (root.local !== 'Envelope' || !isOvfNs(root.ns)) throw new OvfInvalidError(`the root element is ${root.local}, not an OVF Envelope`);
  const warnings: OvfWarning[] = [];
  const vs = findVirtualSystem(root, warnings);
  const hwSections = sections(vs, 'VirtualHardwareSection');
  if (hwSections.length === 0) throw new OvfInvalidError('the virtual system has no VirtualHardwareSection');
  if (hwSections.length > 1)
    warnings.push({ code: 'UNSUPPORTED_SECTION', message: `${hwSections.length} VirtualHardwareSections; only the first is read.` });
  const hwSection = hwSections[0]!;
  const producer = detectProducer(root, vs, hwSection);

  const vbox = vs.children.find((c) => c.ns === VBOX_NS && c.local === 'Machine');
  const name = (childText(vs, 'Name') || attr(vs, 'id') || vbox?.attrs.find((a) => a.local === 'name')?.value || '').trim();
  if (!name) throw new OvfInvalidError('the virtual system has no Name and no ovf:id');

  for (const s of root.children) {
    const kind = sectionKind(s);
    if (!['References', 'DiskSection', 'NetworkSection', 'VirtualSystem', 'VirtualSystemCollection', 'Info'].includes(kind)) {
      warnings.push({ code: 'UNSUPPORTED_SECTION', message: `Envelope section ${kind} is not read.` });
    }
  }
  for (const s of vs.children) {
    const kind = sectionKind(s);
    if (VS_HANDLED.has(kind)) continue;
    if (s === vbox)
      warnings.push({
        code: 'UNSUPPORTED_SECTION',
        message: 'VirtualBox machine configuration (vbox:Machine) is read only for NIC MAC addresses.',
      });
    else if (kind.endsWith('Section') || (!isOvfNs(s.ns) && s.ns !== ''))
      warnings.push({ code: 'UNSUPPORTED_SECTION', message: `Section ${kind} is not read.` });
  }

  const files = readReferences(child(root, 'References'), warnings);
  const catalog = readDiskSection(sections(root, 'DiskSection')[0], files, name, warnings);
  const hw = readHardware(hwSection, warnings);
  if (vbox) applyVboxMacs(vbox, hw);
  const { disks, cdroms } = resolveMedia(hw, catalog, warnings);

  const osSection = sections(vs, 'OperatingSystemSection')[0];
  const os = readOs(osSection, producer, warnings);
  const id =
    (producer === 'ovirt'
      ? osSection
        ? attr(osSection, 'id')
        : null
      : (vbox?.attrs.find((a) => a.local === 'uuid')?.value.replace(/[{}]/g, '') ?? null)) || null;
  const ovirt =
    producer === 'ovirt'
      ? readOvirtContent(vs, id, hw, warnings)
      : { kind: 'vm' as const, template: null, templateVersion: null, displayType: null };

  return {
    producer,
    kind: ovirt.kind,
    id,
    sourceIdentity: sourceIdentity(id, vs),
    template: ovirt.template,
    templateVersion: ovirt.templateVersion,
    name,
    description: childText(vs, 'Description') ?? childText(sections(vs, 'AnnotationSection')[0] ?? vs, 'Annotation') ?? '',
    os,
    cpu: hw.cpu,
    memoryMb: hw.memoryMb,
    ...readGeneral(vs, producer, hw, warnings),
    displayType: ovirt.displayType,
    disks,
    lunDisks: catalog.luns,
    nics: hw.nics,
    controllers: hw.controllers,
    cdroms,
    snapshots: readSnapshots(sections(vs, 'SnapshotsSection')[0], warnings),
    warnings,
  };
}

function findVirtualSystem(root: XmlElement, warnings: OvfWarning[]): XmlElement {
  const direct = sections(root, 'VirtualSystem');
  if (direct.length) return direct[0]!;
  const collection = sections(root, 'VirtualSystemCollection')[0];
  const inner = collection ? sections(collection, 'VirtualSystem') : [];
  if (inner.length === 0) throw new OvfInvalidError('the Envelope has no VirtualSystem');
  if (inner.length > 1)
    warnings.push({
      code: 'UNSUPPORTED_SECTION',
      message: `The collection holds ${inner.length} virtual systems; only the first is read.`,
    });
  return inner[0]!;
}

function detectProducer(root: XmlElement, vs: XmlElement, hw: XmlElement): OvfProducer {
  const system = child(hw, 'System');
  const type = system?.children.find((c) => c.ns === VSSD_NS && c.local === 'VirtualSystemType')?.text ?? '';
  if (/^ENGINE\b/i.test(type) || vs.local === 'Content') return 'ovirt';
  if (/^virtualbox/i.test(type) || vs.children.some((c) => c.ns === VBOX_NS)) return 'virtualbox';
  if (/^vmx-/i.test(type) || root.attrs.some((a) => a.ns === VMW_NS)) return 'vmware';
  return 'other';
}

function readOs(section: XmlElement | undefined, producer: OvfProducer, warnings: OvfWarning[]): OvfOs {
  if (!section) return { raw: null, type: 'other' };
  const description = childText(section, 'Description');
  const vboxType = section.children.find((c) => c.ns === VBOX_NS && c.local === 'OSType')?.text ?? null;
  const result =
    producer === 'ovirt'
      ? normaliseOs({ ovirtName: description ?? '' })
      : normaliseOs({ vmwareType: attrNs(section, VMW_NS, 'osType'), vboxType, cimId: attr(section, 'id'), description });
  if (!result.mapped)
    warnings.push({
      code: 'UNMAPPED_VALUE',
      message: `Guest OS "${result.raw}" has no exact oVirt equivalent; it is approximated as "${result.type}".`,
    });
  return { raw: result.raw, type: result.type };
}

/** oVirt's general VM fields: MinAllocatedMem (VMware: the memory reservation), AutoStartup (highly available), Priority, IsStateless. */
function readGeneral(vs: XmlElement, producer: OvfProducer, hw: Hardware, warnings: OvfWarning[]) {
  const { memoryMb } = hw;
  const flag = (name: string): boolean | null => {
    const v = childText(vs, name)?.trim().toLowerCase();
    if (v === undefined || v === '') return null;
    if (v === 'true' || v === 'false') return v === 'true';
    warnings.push({ code: 'IGNORED_VALUE', message: `${name} "${v}" is not true or false; left out.` });
    return null;
  };
  const int = (name: string): number | null => {
    const v = childText(vs, name)?.trim();
    if (v === undefined || v === '') return null;
    const n = Number(v);
    if (Number.isSafeInteger(n) && n >= 0) return n;
    warnings.push({ code: 'IGNORED_VALUE', message: `${name} "${v}" is not a whole number; left out.` });
    return null;
  };
  let guaranteedMemoryMb = producer === 'ovirt' ? int('MinAllocatedMem') : hw.memoryReservationMb;
  if (guaranteedMemoryMb !== null && guaranteedMemoryMb > memoryMb) {
    warnings.push({
      code: 'IGNORED_VALUE',
      message: `Guaranteed memory ${guaranteedMemoryMb} MiB is more than the memory (${memoryMb} MiB); using ${memoryMb} MiB.`,
    });
    guaranteedMemoryMb = memoryMb;
  }
  return { guaranteedMemoryMb, highlyAvailable: flag('AutoStartup'), haPriority: int('Priority'), stateless: flag('IsStateless') };
}

/** VirtualBox keeps MACs only in vbox:Machine; its enabled adapters follow the NIC items' order. */
function applyVboxMacs(vbox: XmlElement, hw: Hardware): void {
  const adapters = descendants(vbox, 'Adapter')
    .filter((a) => a.attrs.find((x) => x.local === 'enabled')?.value !== 'false')
    .sort(
      (a, b) => Number(a.attrs.find((x) => x.local === 'slot')?.value ?? 0) - Number(b.attrs.find((x) => x.local === 'slot')?.value ?? 0),
    );
  hw.nics.forEach((nic, i) => {
    if (nic.mac === null) nic.mac = normaliseMac(adapters[i]?.attrs.find((x) => x.local === 'MACAddress')?.value);
  });
}

/** `ovf:/disk/vmdisk1`, `/disk/vmdisk1`, `ovf://disk/vmdisk1` → `vmdisk1`; `ovf:/file/file1` → file id. */
function parseHostResource(value: string | null): { kind: 'disk' | 'file' | 'other'; ref: string } {
  const m = /^(?:ovf:)?\/{1,2}(disk|file)\/(.+)$/.exec((value ?? '').trim());
  return m ? { kind: m[1] as 'disk' | 'file', ref: m[2]! } : { kind: 'other', ref: (value ?? '').trim() };
}

function resolveMedia(hw: Hardware, catalog: DiskCatalog, warnings: OvfWarning[]): { disks: OvfDisk[]; cdroms: OvfCdrom[] } {
  const cdroms: OvfCdrom[] = [];
  const usedIsos = new Set<string>();
  const controllers = new Map(hw.controllers.map((c) => [c.id, c]));
  let firstDiskId: string | null = null;
  const bootOrders: { diskId: string; order: number }[] = [];
  const findDisk = (ref: { kind: string; ref: string }, instanceId: string): string | undefined => {
    if (ref.kind === 'disk') return ref.ref;
    // oVirt: HostResource is the file href `group/image`, InstanceId the image id (= ovf:diskId).
    for (const [diskId, disk] of catalog.disks) if (disk.file?.href === ref.ref || diskId === instanceId) return diskId;
    return undefined;
  };
  for (const item of hw.media) {
    const ref = parseHostResource(item.hostResource);
    if (item.kind === 'cdrom') {
      let image = item.path;
      if (ref.kind === 'disk' && catalog.isos.has(ref.ref)) {
        image = catalog.isos.get(ref.ref)!;
        usedIsos.add(ref.ref);
      } else if (ref.kind === 'file') {
        image = catalog.files.find((f) => f.id === ref.ref)?.href ?? null;
        if (image === null) throw new OvfInvalidError(`CD-ROM ${item.id} refers to file "${ref.ref}", which References does not list`);
      }
      if (item.bootOrder > 0)
        warnings.push({
          code: 'BOOT_ORDER',
          message: `CD-ROM ${item.id} is in the boot order (position ${item.bootOrder}); Vireo boots from the bootable disk only.`,
        });
      cdroms.push({ id: item.id, image });
      continue;
    }
    const diskId = findDisk(ref, item.id);
    if (diskId !== undefined && catalog.isos.has(diskId)) {
      // An ISO attached as a disk item is still a CD.
      cdroms.push({ id: item.id, image: catalog.isos.get(diskId)! });
      usedIsos.add(diskId);
      continue;
    }
    const disk = diskId === undefined ? undefined : catalog.disks.get(diskId);
    if (!disk) throw new OvfInvalidError(`disk item ${item.id} refers to "${item.hostResource ?? ''}", which DiskSection does not list`);
    firstDiskId ??= diskId!;
    if (item.bootOrder > 0) bootOrders.push({ diskId: diskId!, order: item.bootOrder });
    if (!catalog.explicitBus.has(diskId!)) {
      const controller = item.parent === null ? undefined : controllers.get(item.parent);
      const { bus, exact } = busForController(controller?.type);
      disk.interface = bus;
      if (!exact)
        warnings.push({
          code: 'UNMAPPED_VALUE',
          message: `Disk ${disk.alias}: ${controller ? `${controller.type} controller (${controller.model ?? 'no model'})` : 'no controller'}; attached as ${bus}.`,
        });
    }
  }
  for (const [diskId, href] of catalog.isos) if (!usedIsos.has(diskId)) cdroms.push({ id: diskId, image: href });
  bootOrders.sort((a, b) => a.order - b.order);
  const bootDisk = bootOrders[0]?.diskId ?? firstDiskId;
  if (bootDisk !== null && !catalog.explicitBoot.has(bootDisk) && ![...catalog.disks.values()].some((d) => d.bootable)) {
    catalog.disks.get(bootDisk)!.bootable = true; // the first in the boot order, else the first disk
  }
  for (const b of bootOrders.slice(1)) {
    warnings.push({
      code: 'BOOT_ORDER',
      message: `Disk ${catalog.disks.get(b.diskId)!.alias} is at position ${b.order} of the boot order; Vireo boots from one disk only.`,
    });
  }
  return { disks: [...catalog.disks.values()], cdroms };
}

/** oVirt writes `yyyy/MM/dd HH:mm:ss` in UTC. */
function parseOvirtDate(value: string | null): string | null {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec((value ?? '').trim());
  if (m) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** oVirt's six memory volume ids (OvfVmReader takes the 3rd and 5th); anything else is left out with a warning. */
function memoryVolumes(snapshotId: string, value: string | null, warnings: OvfWarning[]): string | null {
  if (!value) return null;
  const ids = value.split(',').map((v) => v.trim());
  if (ids.length === 6 && ids.every(isUuid)) return ids.join(',');
  warnings.push({
    code: 'IGNORED_VALUE',
    message: `Snapshot ${snapshotId}: memory volumes "${value.slice(0, 300)}" are not oVirt's six ids; left out.`,
  });
  return null;
}

function readSnapshots(section: XmlElement | undefined, warnings: OvfWarning[]): OvfSnapshot[] {
  if (!section) return [];
  const out: OvfSnapshot[] = [];
  for (const s of children(section, 'Snapshot')) {
    const id = attr(s, 'id');
    const type = (childText(s, 'Type') ?? '').toUpperCase() as OvfSnapshotType;
    if (!id || !SNAPSHOT_TYPES.has(type)) {
      warnings.push({ code: 'IGNORED_VALUE', message: `Snapshot ${id ?? '(no id)'} of type "${type}" is not represented.` });
      continue;
    }
    out.push({
      id,
      type,
      description: childText(s, 'Description') ?? '',
      createdAt: parseOvirtDate(childText(s, 'CreationDate')),
      memory: memoryVolumes(id, childText(s, 'Memory'), warnings),
    });
  }
  return out;
}
