// Reading a VirtualHardwareSection: CPU, memory, NICs, controllers, and the disk and CD items
// (which the reader then resolves against DiskSection).
import { OvfInvalidError } from './errors.ts';
import { cim, isCimNs, isOvfNs, VMW_NS } from './dom.ts';
import { mapCimController, mapNicModel, mapOvirtControllerDevice, normaliseMac } from './devices.ts';
import { MIB, toBytes } from './units.ts';
import type { OvfController, OvfCpu, OvfDisplayType, OvfNic, OvfWarning } from './types.ts';
import type { XmlElement } from './xml.ts';

/** A disk or CD item, before resolution against DiskSection/References. */
export interface MediaItem {
  kind: 'disk' | 'cdrom';
  id: string;
  hostResource: string | null;
  parent: string | null;
  /** oVirt's SpecParams/path (a CD's ISO). */
  path: string | null;
  /** oVirt's BootOrder (0: not in the boot order). */
  bootOrder: number;
}

export interface Hardware {
  cpu: OvfCpu;
  memoryMb: number;
  /** VMware's memory rasd:Reservation in MiB, when above 0. */
  memoryReservationMb: number | null;
  nics: OvfNic[];
  controllers: OvfController[];
  media: MediaItem[];
  /** oVirt's graphics devices (the consoles). */
  graphics: { id: string; type: OvfDisplayType }[];
  /** oVirt's video devices, matched against the console by the reader. */
  video: { id: string; model: string }[];
}

const ITEM_NAMES = new Set(['Item', 'StorageItem', 'EthernetPortItem']);
/** Resource types of the items Vireo reads (CPU, memory, NIC, disks, CDs, storage controllers). */
const READ_TYPES = new Set(['3', '4', '10', '15', '16', '17', '5', '6', '20']);

/** A plain (unqualified or OVF) child, as oVirt writes its device fields (Type, Device, IsPlugged…). */
function plain(item: XmlElement, local: string): string | null {
  return item.children.find((c) => c.local === local && (c.ns === '' || isOvfNs(c.ns)))?.text ?? null;
}

/** oVirt's BootOrder of a device item: 0 when absent or unreadable. */
function bootOrder(item: XmlElement): number {
  const n = Number(plain(item, 'BootOrder') ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

function label(item: XmlElement): string {
  return cim(item, 'ElementName') || cim(item, 'Caption') || cim(item, 'Description') || `item ${cim(item, 'InstanceID') ?? '?'}`;
}

function positiveInt(value: string | null, what: string): number {
  const n = value === null ? NaN : Number(value.trim());
  if (!Number.isSafeInteger(n) || n < 1) throw new OvfInvalidError(`${what} must be a positive integer, got "${value ?? ''}"`);
  return n;
}

function readCpu(item: XmlElement, warnings: OvfWarning[]): OvfCpu {
  const sockets = cim(item, 'num_of_sockets');
  if (sockets !== null) {
    // oVirt's own fields.
    return {
      sockets: positiveInt(sockets, 'rasd:num_of_sockets'),
      cores: positiveInt(cim(item, 'cpu_per_socket') ?? '1', 'rasd:cpu_per_socket'),
      threads: positiveInt(cim(item, 'threads_per_cpu') ?? '1', 'rasd:threads_per_cpu'),
    };
  }
  const vcpus = positiveInt(cim(item, 'VirtualQuantity'), 'CPU rasd:VirtualQuantity');
  allocationSettings(item, 'CPU', 'MHz', 1000 * vcpus, warnings);
  const coresText = item.children.find((c) => c.local === 'CoresPerSocket')?.text ?? null;
  const cores = coresText === null ? 1 : positiveInt(coresText, 'CoresPerSocket');
  if (vcpus % cores !== 0) {
    warnings.push({
      code: 'IGNORED_VALUE',
      message: `${cores} cores per socket does not divide ${vcpus} vCPUs; using ${vcpus} sockets of 1 core.`,
    });
    return { sockets: vcpus, cores: 1, threads: 1 };
  }
  return { sockets: vcpus / cores, cores, threads: 1 };
}

/**
 * VMware's resource allocation of the CPU or memory item: a reservation, a limit (-1: none) and
 * shares (rasd:Weight; `normalShares` is VMware's "normal" level). Vireo keeps only a memory
 * reservation (as guaranteed memory, by the caller); the rest is a warning.
 */
function allocationSettings(item: XmlElement, what: 'CPU' | 'Memory', unit: string, normalShares: number, warnings: OvfWarning[]): void {
  const reservation = cim(item, 'Reservation')?.trim();
  if (what === 'CPU' && reservation && Number(reservation) !== 0) {
    warnings.push({ code: 'UNSUPPORTED_SETTING', message: `CPU reservation of ${reservation} ${unit} is not represented.` });
  }
  const limit = cim(item, 'Limit')?.trim();
  if (limit && limit !== '-1')
    warnings.push({ code: 'UNSUPPORTED_SETTING', message: `${what} limit of ${limit} ${unit} is not represented; the VM is not capped.` });
  const weight = cim(item, 'Weight')?.trim();
  if (weight && Number(weight) !== normalShares)
    warnings.push({ code: 'UNSUPPORTED_SETTING', message: `${what} shares of ${weight} (normal: ${normalShares}) are not represented.` });
}

function readMemory(item: XmlElement, warnings: OvfWarning[]): { memoryMb: number; reservationMb: number | null } {
  const quantity = cim(item, 'VirtualQuantity');
  const units = cim(item, 'AllocationUnits') ?? 'MegaBytes';
  const bytes = quantity === null ? null : toBytes(quantity, units);
  if (bytes === null || bytes <= 0) throw new OvfInvalidError(`memory "${quantity ?? ''}" in units "${units}" is not a usable size`);
  const mb = Math.ceil(bytes / MIB);
  if (mb * MIB !== bytes) warnings.push({ code: 'IGNORED_VALUE', message: `Memory of ${bytes} bytes rounded up to ${mb} MiB.` });
  allocationSettings(item, 'Memory', 'MiB', 10 * mb, warnings);
  const reservation = cim(item, 'Reservation')?.trim();
  const reservedBytes = reservation ? toBytes(reservation, units) : null;
  if (reservation && reservedBytes === null)
    warnings.push({ code: 'IGNORED_VALUE', message: `Memory reservation "${reservation}" is not a usable size; left out.` });
  return { memoryMb: mb, reservationMb: reservedBytes ? Math.ceil(reservedBytes / MIB) : null };
}

/** VMware's per-device settings (vmw:Config) of an item Vireo reads: none of them is kept. */
function reportVmwConfig(item: XmlElement, warnings: OvfWarning[]): void {
  const keys = item.children
    .filter((c) => c.ns === VMW_NS && (c.local === 'Config' || c.local === 'ExtraConfig'))
    .map((c) => `${c.attrs.find((a) => a.local === 'key')?.value ?? '?'}=${c.attrs.find((a) => a.local === 'value')?.value ?? ''}`);
  if (keys.length)
    warnings.push({ code: 'UNSUPPORTED_SETTING', message: `${label(item)}: VMware settings not imported: ${keys.join(', ')}.` });
}

function readNic(item: XmlElement, index: number, warnings: OvfWarning[]): OvfNic {
  const subType = cim(item, 'ResourceSubType');
  const { model, exact } = mapNicModel(subType);
  const name = cim(item, 'Name') || `nic${index + 1}`;
  if (!exact)
    warnings.push({
      code: 'UNMAPPED_VALUE',
      message: `NIC ${name}: adapter type "${subType ?? '(none)'}" has no equivalent; using ${model}.`,
    });
  const macText = cim(item, 'MACAddress') ?? cim(item, 'Address');
  const mac = normaliseMac(macText);
  if (macText && !mac) warnings.push({ code: 'IGNORED_VALUE', message: `NIC ${name}: "${macText}" is not a MAC address.` });
  const ovirt = cim(item, 'Linked') !== null;
  if (bootOrder(item) > 0)
    warnings.push({
      code: 'BOOT_ORDER',
      message: `NIC ${name} is in the boot order (network boot, position ${bootOrder(item)}); Vireo boots from the bootable disk only.`,
    });
  return {
    id: cim(item, 'InstanceID') ?? String(index + 1),
    name,
    network: cim(item, 'Connection') || null,
    interface: model,
    mac,
    linked: ovirt ? cim(item, 'Linked') !== 'false' : cim(item, 'AutomaticAllocation') !== 'false',
    plugged: plain(item, 'IsPlugged') !== 'false',
  };
}

/** Reads oVirt's device items (those with a plain <Type> child): controllers, CDs, and the rest. */
function readOvirtDevice(item: XmlElement, hw: Hardware, warnings: OvfWarning[]): void {
  const type = plain(item, 'Type') ?? '';
  const device = plain(item, 'Device') ?? '';
  const id = cim(item, 'InstanceID') ?? '';
  const specParams = item.children.find((c) => c.local === 'SpecParams');
  const spec = (k: string) => specParams?.children.find((c) => c.local === k)?.text ?? null;
  if (type === 'controller') {
    const kind = mapOvirtControllerDevice(device);
    if (kind) {
      hw.controllers.push({ id, type: kind, model: spec('model') });
      return;
    }
    warnings.push({ code: device === 'usb' ? 'USB' : 'UNSUPPORTED_DEVICE', message: `Controller "${device}" (${id}) is not represented.` });
    return;
  }
  if (type === 'graphics' && (device === 'spice' || device === 'vnc')) {
    hw.graphics.push({ id, type: device === 'spice' ? 'SPICE' : 'VNC' });
    return;
  }
  if (type === 'video') {
    hw.video.push({ id, model: device });
    return;
  }
  if (type === 'disk' && device === 'cdrom') {
    hw.media.push({
      kind: 'cdrom',
      id,
      hostResource: cim(item, 'HostResource'),
      parent: null,
      path: spec('path') || null,
      bootOrder: bootOrder(item),
    });
    return;
  }
  warnings.push({ code: 'UNSUPPORTED_DEVICE', message: `Device ${type}/${device} (${id}) is not represented.` });
}

/** Reads the Items of a VirtualHardwareSection. Throws OvfInvalidError when CPU or memory is missing or unusable. */
export function readHardware(section: XmlElement, warnings: OvfWarning[]): Hardware {
  const hw: Hardware = {
    cpu: { sockets: 1, cores: 1, threads: 1 },
    memoryMb: 0,
    memoryReservationMb: null,
    nics: [],
    controllers: [],
    media: [],
    graphics: [],
    video: [],
  };
  let sawCpu = false;
  let sawMemory = false;
  const extraConfig: string[] = [];
  for (const item of section.children) {
    if (item.local === 'Info' || item.local === 'System') continue;
    if (!ITEM_NAMES.has(item.local) || (item.ns !== '' && !isOvfNs(item.ns))) {
      if (item.local === 'Config' || item.local === 'ExtraConfig')
        extraConfig.push(item.attrs.find((a) => a.local === 'key')?.value ?? '?');
      else warnings.push({ code: 'UNSUPPORTED_SECTION', message: `Hardware element ${item.local} is not read.` });
      continue;
    }
    if (!item.children.some((c) => isCimNs(c.ns))) {
      warnings.push({ code: 'IGNORED_VALUE', message: 'A hardware item without resource properties was skipped.' });
      continue;
    }
    const rt = (cim(item, 'ResourceType') ?? '').trim();
    const isOvirtDevice = plain(item, 'Type') !== null;
    if (READ_TYPES.has(rt)) reportVmwConfig(item, warnings);
    switch (rt) {
      case '3':
        hw.cpu = readCpu(item, warnings);
        sawCpu = true;
        continue;
      case '4': {
        const memory = readMemory(item, warnings);
        hw.memoryMb = memory.memoryMb;
        hw.memoryReservationMb = memory.reservationMb;
        sawMemory = true;
        continue;
      }
      case '10':
        hw.nics.push(readNic(item, hw.nics.length, warnings));
        continue;
      case '17':
        if (!isOvirtDevice || plain(item, 'Device') !== 'cdrom') {
          hw.media.push({
            kind: 'disk',
            id: cim(item, 'InstanceID') ?? '',
            hostResource: cim(item, 'HostResource'),
            parent: cim(item, 'Parent'),
            path: null,
            bootOrder: bootOrder(item),
          });
          continue;
        }
        break;
      case '15':
      case '16':
        if (!isOvirtDevice) {
          hw.media.push({
            kind: 'cdrom',
            id: cim(item, 'InstanceID') ?? '',
            hostResource: cim(item, 'HostResource'),
            parent: cim(item, 'Parent'),
            path: null,
            bootOrder: bootOrder(item),
          });
          continue;
        }
        break;
      case '23':
        if ((cim(item, 'UsbPolicy') ?? '').toUpperCase() !== 'DISABLED')
          warnings.push({ code: 'USB', message: `USB controller "${label(item)}" is not represented.` });
        continue;
    }
    if (isOvirtDevice) {
      readOvirtDevice(item, hw, warnings);
      continue;
    }
    if (rt === '5' || rt === '6' || rt === '20') {
      const subType = cim(item, 'ResourceSubType');
      const type = mapCimController(rt, subType);
      if (type) {
        hw.controllers.push({ id: cim(item, 'InstanceID') ?? '', type, model: subType || null });
        continue;
      }
    }
    warnings.push({
      code: 'UNSUPPORTED_DEVICE',
      message: `Device "${label(item)}" (resource type ${rt || '?'}${cim(item, 'ResourceSubType') ? `, ${cim(item, 'ResourceSubType')}` : ''}) is not represented.`,
    });
  }
  if (extraConfig.length) warnings.push({ code: 'IGNORED_VALUE', message: `Extra configuration not imported: ${extraConfig.join(', ')}.` });
  if (!sawCpu) throw new OvfInvalidError('the VirtualHardwareSection has no CPU item (rasd:ResourceType 3)');
  if (!sawMemory) throw new OvfInvalidError('the VirtualHardwareSection has no memory item (rasd:ResourceType 4)');
  return hw;
}
