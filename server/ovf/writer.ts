// Writing the oVirt flavour of OVF (what oVirt's OvfOvirtWriter/OvfVmWriter produce for export
// domains and OVF stores): built as named steps, like oVirt's IOvfBuilder —
// references → network → disks → virtual system.
import { OvfInvalidError } from './errors.ts';
import { OVIRT_CONTROLLER_DEVICE, OVIRT_DISK_INTERFACE, OVIRT_NIC_TYPE } from './devices.ts';
import { OVIRT_OVF_NS, RASD_NS, VSSD_NS, XSI_NS } from './dom.ts';
import { derivedId, isUuid, OVIRT_FORMAT_URI } from './ovirtIds.ts';
import { EMPTY_GUID, OVIRT_DISPLAY_TYPE, VIDEO_FOR } from './ovirtContent.ts';
import { GIB } from './units.ts';
import { XmlText } from './xmlWriter.ts';
import type { OvfVm } from './types.ts';

export interface WriteOvfOptions {
  /** The engine version written as ovf:version and in VirtualSystemType (default 4.4.0.0). */
  engineVersion?: string;
  /** ExportDate/CreationDate written (default now). */
  exportDate?: Date;
}

const NIC_SPEED = { VIRTIO: 10000, E1000: 1000, E1000E: 1000, RTL8139: 100 } as const;

/** `yyyy/MM/dd HH:mm:ss` in UTC, as oVirt writes dates. */
export function ovirtDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}/${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

function gibCeil(bytes: number): number {
  return Math.ceil(bytes / GIB);
}

/** Throws OvfInvalidError listing every id oVirt could not read (oVirt parses them as GUIDs). */
function checkIds(vm: OvfVm): void {
  const bad: string[] = [];
  const need = (what: string, id: string | null) => {
    if (!isUuid(id)) bad.push(`${what} "${id ?? ''}"`);
  };
  need('VM id', vm.id);
  if (vm.template) need(`template ${vm.template.name} id`, vm.template.id);
  for (const d of vm.disks) {
    need(`disk ${d.alias} id`, d.id);
    need(`disk ${d.alias} image id`, d.imageId);
  }
  for (const l of vm.lunDisks) need(`LUN disk ${l.alias} id`, l.id);
  for (const n of vm.nics) need(`NIC ${n.name} id`, n.id);
  for (const c of vm.controllers) need('controller id', c.id);
  for (const c of vm.cdroms) need('CD-ROM id', c.id);
  for (const s of vm.snapshots) need('snapshot id', s.id);
  vm.snapshots.forEach((s) => {
    if (s.memory !== null && (s.memory.split(',').length !== 6 || !s.memory.split(',').every(isUuid)))
      bad.push(`snapshot ${s.id} memory volumes "${s.memory}" (six ids)`);
  });
  if (bad.length) throw new OvfInvalidError(`oVirt needs UUIDs (use toOvirtDescription first): ${bad.join(', ')}`);
  if (!vm.name.trim()) throw new OvfInvalidError('the VM has no name');
}

function buildReferences(x: XmlText, vm: OvfVm): void {
  x.open('References');
  for (const d of vm.disks) {
    x.el('File', null, {
      'ovf:href': `${d.id}/${d.imageId}`,
      'ovf:id': d.imageId,
      'ovf:size': d.file?.sizeBytes ?? undefined,
      'ovf:description': d.description,
      'ovf:disk_storage_type': 'IMAGE',
      'ovf:cinder_volume_type': '',
    });
  }
  for (const l of vm.lunDisks) x.el('File', null, { 'ovf:id': l.id, 'ovf:href': l.id, 'ovf:disk_storage_type': 'LUN' });
  x.close('References');
}

function buildNetwork(x: XmlText, vm: OvfVm): void {
  x.open('Section', { 'xsi:type': 'ovf:NetworkSection_Type' }).el('Info', 'List of networks');
  const networks = [...new Set(vm.nics.map((n) => n.network).filter((n): n is string => n !== null))];
  for (const name of networks) x.el('Network', null, { 'ovf:name': name });
  x.close('Section');
}

function buildDisks(x: XmlText, vm: OvfVm): void {
  x.open('Section', { 'xsi:type': 'ovf:DiskSection_Type' }).el('Info', 'List of Virtual Disks');
  for (const d of vm.disks) {
    x.el('Disk', null, {
      'ovf:diskId': d.imageId,
      'ovf:size': gibCeil(d.capacityBytes),
      'ovf:actual_size': Math.floor((d.populatedBytes ?? 0) / GIB),
      'ovf:vm_snapshot_id': d.snapshotId ?? '',
      'ovf:parentRef': '',
      'ovf:fileRef': `${d.id}/${d.imageId}`,
      'ovf:format': OVIRT_FORMAT_URI[d.format],
      'ovf:volume-format': d.format,
      'ovf:volume-type': d.sparse ? 'Sparse' : 'Preallocated',
      'ovf:disk-interface': OVIRT_DISK_INTERFACE[d.interface],
      'ovf:read-only': d.readOnly,
      'ovf:shareable': d.shareable,
      'ovf:boot': d.bootable,
      'ovf:pass-discard': false,
      'ovf:disk-alias': d.alias,
      'ovf:disk-description': d.description,
      'ovf:wipe-after-delete': false,
      // Standard OVF attributes oVirt ignores: the exact sizes, which ovf:size in GiB cannot hold.
      'ovf:capacity': d.capacityBytes,
      'ovf:capacityAllocationUnits': 'byte',
      'ovf:populatedSize': d.populatedBytes ?? undefined,
    });
  }
  for (const l of vm.lunDisks) {
    x.open('Disk', {
      'ovf:diskId': l.id,
      'ovf:disk-alias': l.alias,
      'ovf:disk-description': l.description,
      'ovf:pass-discard': false,
      'ovf:fileRef': l.id,
      'ovf:shareable': l.shareable,
      'ovf:boot': l.bootable,
      'ovf:disk-interface': OVIRT_DISK_INTERFACE[l.interface],
      'ovf:read-only': l.readOnly,
      'ovf:scsi_reservation': false,
      'ovf:plugged': true,
      'ovf:lun_id': l.lunId,
      'ovf:device_size': l.sizeBytes === null ? undefined : gibCeil(l.sizeBytes),
    });
    for (const c of l.connections) {
      x.el('Connection', null, {
        'ovf:connection': c.address,
        'ovf:iqn': c.iqn,
        'ovf:port': c.port,
        'xsi:storage_type': c.storageType,
        'xsi:portal': '1',
      });
    }
    x.close('Disk');
  }
  x.close('Section');
}

/** oVirt's per-device fields (VmDevice): Type, Device, Address, BootOrder, IsPlugged, IsReadOnly, Alias. */
function deviceInfo(
  x: XmlText,
  type: string,
  device: string,
  plugged: boolean,
  readOnly: boolean,
  spec: Record<string, string | null> = {},
  bootOrder = 0,
): void {
  x.el('Type', type)
    .el('Device', device)
    .el('rasd:Address')
    .el('BootOrder', bootOrder)
    .el('IsPlugged', plugged)
    .el('IsReadOnly', readOnly)
    .el('Alias');
  const entries = Object.entries(spec).filter(([, v]) => v !== null);
  if (entries.length) {
    x.open('SpecParams');
    for (const [k, v] of entries) x.el(k, v);
    x.close('SpecParams');
  }
}

function buildHardware(x: XmlText, vm: OvfVm, version: string, now: string): void {
  const vcpus = vm.cpu.sockets * vm.cpu.cores * vm.cpu.threads;
  x.open('Section', { 'xsi:type': 'ovf:VirtualHardwareSection_Type' }).el('Info', `${vcpus} CPU, ${vm.memoryMb} Memory`);
  x.open('System').el('vssd:VirtualSystemType', `ENGINE ${version}`).close('System');
  x.open('Item')
    .el('rasd:Caption', `${vcpus} virtual cpu`)
    .el('rasd:Description', 'Number of virtual CPU')
    .el('rasd:InstanceId', 1)
    .el('rasd:ResourceType', 3)
    .el('rasd:num_of_sockets', vm.cpu.sockets)
    .el('rasd:cpu_per_socket', vm.cpu.cores)
    .el('rasd:threads_per_cpu', vm.cpu.threads)
    .el('rasd:max_num_of_vcpus', vcpus)
    .el('rasd:VirtualQuantity', vcpus)
    .close('Item');
  x.open('Item')
    .el('rasd:Caption', `${vm.memoryMb} MB of memory`)
    .el('rasd:Description', 'Memory Size')
    .el('rasd:InstanceId', 2)
    .el('rasd:ResourceType', 4)
    .el('rasd:AllocationUnits', 'MegaBytes')
    .el('rasd:VirtualQuantity', vm.memoryMb)
    .close('Item');
  // Bootable disks first in the boot order (Vireo has one); NICs and CDs are not in it.
  let boot = 0;
  for (const d of vm.disks) {
    x.open('Item')
      .el('rasd:Caption', d.alias)
      .el('rasd:InstanceId', d.imageId)
      .el('rasd:ResourceType', 17)
      .el('rasd:HostResource', `${d.id}/${d.imageId}`)
      .el('rasd:Parent', EMPTY_GUID)
      .el('rasd:Template', EMPTY_GUID)
      .el('rasd:ApplicationList')
      .el('rasd:CreationDate', now)
      .el('rasd:LastModified', now)
      .el('rasd:last_modified_date', now);
    deviceInfo(x, 'disk', 'disk', true, d.readOnly, {}, d.bootable ? ++boot : 0);
    x.close('Item');
  }
  for (const n of vm.nics) {
    x.open('Item')
      .el('rasd:Caption', `Ethernet adapter on ${n.network ?? '[No Network]'}`)
      .el('rasd:InstanceId', n.id)
      .el('rasd:ResourceType', 10)
      .el('rasd:OtherResourceType', n.network ?? '')
      .el('rasd:ResourceSubType', OVIRT_NIC_TYPE[n.interface])
      .el('rasd:Connection', n.network ?? '')
      .el('rasd:Linked', n.linked)
      .el('rasd:Name', n.name)
      .el('rasd:ElementName', n.name)
      .el('rasd:MACAddress', n.mac ?? '')
      .el('rasd:speed', NIC_SPEED[n.interface]);
    deviceInfo(x, 'interface', 'bridge', n.plugged, false);
    x.close('Item');
  }
  x.open('Item')
    .el('rasd:Caption', 'USB Controller')
    .el('rasd:InstanceId', 3)
    .el('rasd:ResourceType', 23)
    .el('rasd:UsbPolicy', 'DISABLED')
    .close('Item');
  // The console as oVirt's devices: a video card and a graphics framebuffer (OvfWriter.writeMonitors, writeGraphics).
  const display = vm.displayType ?? 'VNC';
  x.open('Item')
    .el('rasd:Caption', 'Graphical Controller')
    .el('rasd:InstanceId', derivedId(vm.id!, 'video'))
    .el('rasd:ResourceType', 20)
    .el('rasd:VirtualQuantity', 1)
    .el('rasd:SinglePciQxl', false);
  deviceInfo(x, 'video', VIDEO_FOR[display], true, true);
  x.close('Item');
  x.open('Item')
    .el('rasd:Caption', 'Graphical Framebuffer')
    .el('rasd:InstanceId', derivedId(vm.id!, 'graphics'))
    .el('rasd:ResourceType', 26);
  deviceInfo(x, 'graphics', display.toLowerCase(), true, false);
  x.close('Item');
  for (const c of vm.cdroms) {
    x.open('Item').el('rasd:Caption', 'CDROM').el('rasd:InstanceId', c.id).el('rasd:ResourceType', 15);
    deviceInfo(x, 'disk', 'cdrom', true, true, { path: c.image ?? '' });
    x.close('Item');
  }
  for (const c of vm.controllers) {
    x.open('Item').el('rasd:ResourceType', 0).el('rasd:InstanceId', c.id);
    deviceInfo(x, 'controller', OVIRT_CONTROLLER_DEVICE[c.type], true, false, { model: c.model });
    x.close('Item');
  }
  x.close('Section');
}

/** oVirt's OvfVmReader reads every snapshot's CreationDate without a null check: one without a date gets the export's. */
function buildSnapshots(x: XmlText, vm: OvfVm, now: string): void {
  if (!vm.snapshots.length) return;
  x.open('Section', { 'xsi:type': 'ovf:SnapshotsSection_Type' });
  for (const s of vm.snapshots) {
    x.open('Snapshot', { 'ovf:id': s.id }).el('Type', s.type).el('Description', s.description);
    const date = s.createdAt === null ? null : new Date(s.createdAt);
    if (date && Number.isNaN(date.getTime())) throw new OvfInvalidError(`snapshot ${s.id} has an unreadable date "${s.createdAt}"`);
    x.el('CreationDate', date ? ovirtDate(date) : now);
    if (s.memory !== null) x.el('Memory', s.memory);
    x.close('Snapshot');
  }
  x.close('Section');
}

function buildVirtualSystem(x: XmlText, vm: OvfVm, version: string, exportDate: Date): void {
  const now = ovirtDate(exportDate);
  x.open('Content', { 'ovf:id': 'out', 'xsi:type': 'ovf:VirtualSystem_Type' });
  x.el('Name', vm.name)
    .el('Description', vm.description)
    .el('CreationDate', now)
    .el('ExportDate', now)
    .el('DeleteProtected', false)
    .el('IsSmartcardEnabled', false)
    .el('TimeZone')
    .el('default_boot_sequence', 0)
    .el('Generation', 1)
    .el('VmType', 1)
    .el('MinAllocatedMem', vm.guaranteedMemoryMb ?? vm.memoryMb)
    .el('IsStateless', vm.stateless ?? false)
    .el('IsRunAndPause', false)
    .el('AutoStartup', vm.highlyAvailable ?? false)
    .el('Priority', vm.haPriority ?? 1);
  const display = OVIRT_DISPLAY_TYPE[VIDEO_FOR[vm.displayType ?? 'VNC']];
  if (vm.kind === 'template') {
    // OvfTemplateWriter: TemplateId is the template's own id, which is how OvfParser.isTemplate() knows it.
    x.el('TemplateId', vm.id)
      .el('Origin', 0)
      .el('default_display_type', display)
      .el('IsDisabled', false)
      .el('TemplateType', 'TEMPLATE')
      .el('TemplateVersionNumber', vm.templateVersion ?? 1);
  } else {
    x.el('TemplateId', vm.template?.id ?? EMPTY_GUID)
      .el('TemplateName', vm.template?.name ?? 'Blank')
      .el('Origin', 0)
      .el('DefaultDisplayType', display);
  }
  x.open('Section', { 'ovf:id': vm.id, 'ovf:required': false, 'xsi:type': 'ovf:OperatingSystemSection_Type' })
    .el('Info', 'Guest Operating System')
    .el('Description', vm.os.type)
    .close('Section');
  buildHardware(x, vm, version, now);
  buildSnapshots(x, vm, now);
  x.close('Content');
}

/**
 * Writes `vm` as the OVF oVirt's engine writes for a VM or a template (ovf namespace with trailing slash,
 * `<Section xsi:type=…>`, `<Content>`, sizes in GiB, oVirt device fields), which oVirt can import.
 * All ids must be UUIDs (see toOvirtDescription); `disk.file` contributes only its size, since oVirt
 * names files `<disk id>/<image id>`. Exact byte sizes are kept in the standard ovf:capacity and
 * ovf:populatedSize. `readOvf(writeOvirtOvf(vm))` equals `toOvirtDescription(vm)`.
 */
export function writeOvirtOvf(vm: OvfVm, options: WriteOvfOptions = {}): string {
  checkIds(vm);
  const version = options.engineVersion ?? '4.4.0.0';
  const x = new XmlText();
  x.open('ovf:Envelope', {
    'xmlns:ovf': OVIRT_OVF_NS,
    'xmlns:rasd': RASD_NS,
    'xmlns:vssd': VSSD_NS,
    'xmlns:xsi': XSI_NS,
    'ovf:version': version,
  });
  buildReferences(x, vm);
  buildNetwork(x, vm);
  buildDisks(x, vm);
  buildVirtualSystem(x, vm, version, options.exportDate ?? new Date());
  x.close('ovf:Envelope');
  return x.toString();
}
