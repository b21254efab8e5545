// PURE: the host's hardware as libvirt tells it: DMI from `virsh sysinfo` (manufacturer, product,
// serial), NUMA cells from `virsh capabilities` (each cell's CPUs and memory), the library and
// hypervisor versions from `virsh version`. Unit-tested on libvirt 9's output.
import { XMLParser } from 'fast-xml-parser';
import type { HostHardware } from '../../../protocol/messages.ts';

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: 'text',
  isArray: (name) => ['entry', 'cell', 'cpu'].includes(name),
});

type Entry = { name?: string; text?: string | number };

/** `virsh sysinfo`'s <system> entries: manufacturer, product, serial ('' for what it lacks). */
export function parseSysinfo(text: string): Pick<HostHardware, 'vendor' | 'product' | 'serial'> {
  let system: Entry[] = [];
  try {
    system = (xml.parse(text) as { sysinfo?: { system?: { entry?: Entry[] } } }).sysinfo?.system?.entry ?? [];
  } catch {
    // Not XML (libvirt refused, or no DMI): nothing known.
  }
  const entry = (name: string) => String(system.find((e) => e.name === name)?.text ?? '').trim();
  return { vendor: entry('manufacturer'), product: entry('product'), serial: entry('serial') };
}

type Cell = { id: string; memory?: { unit?: string; text?: number | string }; cpus?: { cpu?: { id: string }[] } };

/** `virsh capabilities`' host/topology/cells: each NUMA node's CPUs and memory. */
export function parseNuma(capabilitiesXml: string): HostHardware['numa'] {
  const caps = xml.parse(capabilitiesXml) as { capabilities?: { host?: { topology?: { cells?: { cell?: Cell[] } } } } };
  const unit = { KiB: 1 / 1024, MiB: 1, GiB: 1024 } as Record<string, number>;
  return (caps.capabilities?.host?.topology?.cells?.cell ?? []).map((c) => ({
    node: Number(c.id),
    cpus: (c.cpus?.cpu ?? []).map((cpu) => Number(cpu.id)).sort((a, b) => a - b),
    memoryMb: Math.round(Number(c.memory?.text ?? 0) * (unit[c.memory?.unit ?? 'KiB'] ?? 1 / 1024)),
  }));
}

/** `virsh version`: "Using library: libvirt 9.0.0", "Running hypervisor: QEMU 7.2.0". */
export function parseVersions(text: string): Pick<HostHardware, 'libvirtVersion' | 'qemuVersion'> {
  const field = (label: string, product: string) => new RegExp(`^${label}:\\s*${product}\\s+(\\S+)`, 'mi').exec(text)?.[1] ?? '';
  return { libvirtVersion: field('Using library', 'libvirt'), qemuVersion: field('Running hypervisor', 'QEMU') };
}
