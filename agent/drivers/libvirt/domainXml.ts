// PURE: the libvirt domain XML for a VM definition (DomainSpec), as VDSM builds it from the
// engine's VM: CPU topology, memory with a virtio balloon, disks on their image files, NICs,
// console, guest agent channel. Unit-tested against expected XML and libvirt's own schema.
import { XMLBuilder } from 'fast-xml-parser';
import type { DiskSpec, DomainSpec, NicSpec } from '../../../protocol/messages.ts';

export interface DomainXmlOptions {
  /** 'kvm' where /dev/kvm exists, else 'qemu' (TCG). */
  virtType: 'kvm' | 'qemu';
  /** The console's first password; VDSM starts with one already expired, so no one connects without a ticket. */
  displayPassword: string;
  /** Seconds between balloon statistics from the guest. */
  balloonStatsPeriod?: number;
}

/** The guest agent's virtio-serial port, as qemu-guest-agent expects it. */
export const GUEST_AGENT_CHANNEL = 'org.qemu.guest_agent.0';

type Node = Record<string, unknown>;

const BUS: Record<DiskSpec['interface'], { bus: string; prefix: string }> = {
  VIRTIO: { bus: 'virtio', prefix: 'vd' },
  VIRTIO_SCSI: { bus: 'scsi', prefix: 'sd' },
  SATA: { bus: 'sata', prefix: 'sd' },
  IDE: { bus: 'ide', prefix: 'hd' },
};

const NIC_MODEL: Record<NicSpec['model'], string> = { VIRTIO: 'virtio', E1000: 'e1000', E1000E: 'e1000e', RTL8139: 'rtl8139' };

/** vda, vdb, … vdz, vdaa: the Linux names libvirt uses for a bus's targets. */
export function targetName(prefix: string, index: number): string {
  let name = '';
  let n = index;
  do {
    name = String.fromCharCode(97 + (n % 26)) + name;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return prefix + name;
}

function disks(specs: readonly DiskSpec[]): Node[] {
  const used = new Map<string, number>();
  return specs.map((d) => {
    const { bus, prefix } = BUS[d.interface];
    const index = used.get(prefix) ?? 0;
    used.set(prefix, index + 1);
    return {
      '@_type': 'file',
      '@_device': 'disk',
      driver: { '@_name': 'qemu', '@_type': d.format, '@_discard': 'unmap' },
      source: { '@_file': d.path },
      target: { '@_dev': targetName(prefix, index), '@_bus': bus },
      ...(d.readOnly ? { readonly: '' } : {}),
      serial: d.id.replace(/-/g, '').slice(-20),
      ...(d.bootOrder ? { boot: { '@_order': d.bootOrder } } : {}),
      alias: { '@_name': `ua-${d.id}` },
    };
  });
}

/**
 * The CD-ROM drive, as VDSM makes it: IDE (the pc machine's own controller; media change while the
 * VM runs), after the IDE disks (hdc at the earliest), read-only, empty without a medium.
 */
function cdrom(spec: DomainSpec): Node[] {
  if (!spec.cdrom) return [];
  const ideDisks = (spec.disks ?? []).filter((d) => d.interface === 'IDE').length;
  const file = spec.cdrom.medium?.path;
  return [
    {
      '@_type': 'file',
      '@_device': 'cdrom',
      driver: { '@_name': 'qemu', '@_type': 'raw' },
      ...(file ? { source: { '@_file': file } } : {}),
      target: { '@_dev': targetName('hd', Math.max(2, ideDisks)), '@_bus': 'ide' },
      readonly: '',
      ...(spec.cdrom.bootOrder ? { boot: { '@_order': spec.cdrom.bootOrder } } : {}),
      alias: { '@_name': 'ua-cdrom' },
    },
  ];
}

/** The cloud-init config drive: a second read-only IDE CD-ROM, after the CD-ROM drive. */
function configDrive(spec: DomainSpec): Node[] {
  const file = spec.configDrive?.path;
  if (!file) return [];
  const ideDisks = (spec.disks ?? []).filter((d) => d.interface === 'IDE').length;
  return [
    {
      '@_type': 'file',
      '@_device': 'cdrom',
      driver: { '@_name': 'qemu', '@_type': 'raw' },
      source: { '@_file': file },
      target: { '@_dev': targetName('hd', Math.max(2, ideDisks) + (spec.cdrom ? 1 : 0)), '@_bus': 'ide' },
      readonly: '',
      alias: { '@_name': 'ua-cidata' },
    },
  ];
}

function nics(specs: readonly NicSpec[]): Node[] {
  return specs.map((n) => ({
    '@_type': n.bridge ? 'bridge' : 'user',
    mac: { '@_address': n.mac.toLowerCase() },
    ...(n.bridge ? { source: { '@_bridge': n.bridge } } : {}),
    model: { '@_type': NIC_MODEL[n.model] },
    ...(n.linked === false ? { link: { '@_state': 'down' } } : {}),
    ...(n.bootOrder ? { boot: { '@_order': n.bootOrder } } : {}),
  }));
}

const XML_OPTIONS = { ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true };

/** One NIC's <interface> element, as hot-plug (virsh attach-device) and live updates take it. */
export function interfaceXml(nic: NicSpec): string {
  return new XMLBuilder(XML_OPTIONS).build({ interface: nics([nic])[0] }) as string;
}

function graphics(spec: DomainSpec, opts: DomainXmlOptions): Node {
  const listen = spec.displayListen ?? '0.0.0.0';
  const common = {
    '@_autoport': 'yes',
    '@_passwd': opts.displayPassword,
    '@_passwdValidTo': '1970-01-01T00:00:01',
    listen: { '@_type': 'address', '@_address': listen },
  };
  if (spec.display === 'SPICE') return { '@_type': 'spice', '@_port': '-1', ...common };
  return { '@_type': 'vnc', '@_port': '-1', ...(spec.displayWebsocket ? { '@_websocket': '-1' } : {}), ...common };
}

export function domainXml(spec: DomainSpec, opts: DomainXmlOptions): string {
  const sockets = spec.sockets ?? 1;
  const threads = spec.threads ?? 1;
  const cores = spec.cores ?? Math.max(1, Math.floor(spec.vcpus / (sockets * threads)));
  if (sockets * cores * threads !== spec.vcpus)
    throw new Error(`CPU topology ${sockets}×${cores}×${threads} does not make ${spec.vcpus} vCPUs`);
  const diskSpecs = spec.disks ?? [];
  const needsScsi = diskSpecs.some((d) => d.interface === 'VIRTIO_SCSI');
  const needsSata = diskSpecs.some((d) => d.interface === 'SATA');
  const os: Node = { type: { '@_arch': 'x86_64', '@_machine': 'pc', '#text': 'hvm' } };
  if (spec.kernel) {
    os.kernel = spec.kernel.kernelPath;
    if (spec.kernel.initrdPath) os.initrd = spec.kernel.initrdPath;
    if (spec.kernel.cmdline) os.cmdline = spec.kernel.cmdline;
  }
  const domain: Node = {
    '@_type': opts.virtType,
    name: spec.name,
    uuid: spec.id,
    memory: { '@_unit': 'MiB', '#text': spec.memoryMb },
    currentMemory: { '@_unit': 'MiB', '#text': Math.min(spec.currentMemoryMb ?? spec.memoryMb, spec.memoryMb) },
    vcpu: { '@_placement': 'static', '#text': spec.vcpus },
    os,
    features: { acpi: '', apic: '' },
    cpu: { topology: { '@_sockets': sockets, '@_dies': 1, '@_cores': cores, '@_threads': threads } },
    clock: { '@_offset': 'utc' },
    on_poweroff: 'destroy',
    on_reboot: 'restart',
    on_crash: 'destroy',
    devices: {
      disk: [...disks(diskSpecs), ...cdrom(spec), ...configDrive(spec)],
      controller: [
        ...(needsScsi ? [{ '@_type': 'scsi', '@_index': 0, '@_model': 'virtio-scsi' }] : []),
        ...(needsSata ? [{ '@_type': 'sata', '@_index': 0 }] : []),
        { '@_type': 'virtio-serial', '@_index': 0 },
      ],
      interface: nics(spec.nics ?? []),
      serial: { '@_type': 'pty', target: { '@_port': 0 } },
      console: { '@_type': 'pty', target: { '@_type': 'serial', '@_port': 0 } },
      channel: { '@_type': 'unix', target: { '@_type': 'virtio', '@_name': GUEST_AGENT_CHANNEL } },
      input: [{ '@_type': 'tablet', '@_bus': 'usb' }],
      graphics: graphics(spec, opts),
      video: { model: { '@_type': spec.display === 'SPICE' ? 'qxl' : 'vga' } },
      memballoon: { '@_model': 'virtio', stats: { '@_period': opts.balloonStatsPeriod ?? 2 } },
      rng: { '@_model': 'virtio', backend: { '@_model': 'random', '#text': '/dev/urandom' } },
    },
  };
  return new XMLBuilder(XML_OPTIONS).build({ domain }) as string;
}
