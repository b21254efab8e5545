// What a host is and runs, as its agent last reported it in its hello (protocol HostHardware).
import { builder } from '../builder.ts';
import { HostHardware } from '../../protocol/messages.ts';

type Hardware = HostHardware;
type NumaNode = Hardware['numa'][number];

const NumaNodeRef = builder.objectRef<NumaNode>('HostNumaNode').implement({
  description: 'A NUMA node of a host: its CPUs and memory.',
  fields: (t) => ({
    node: t.exposeInt('node'),
    cpus: t.exposeIntList('cpus', { description: 'The ids of its logical CPUs.' }),
    memoryMb: t.exposeInt('memoryMb'),
  }),
});

export const HostHardwareRef = builder.objectRef<Hardware>('HostHardware').implement({
  description:
    "A host's hardware and software, as its agent reports them (the libvirt driver: `virsh sysinfo`, `capabilities`, `version`).",
  fields: (t) => ({
    vendor: t.exposeString('vendor', { description: "The system's manufacturer (DMI); empty when the host does not say." }),
    product: t.exposeString('product'),
    serial: t.exposeString('serial'),
    kernel: t.exposeString('kernel'),
    libvirtVersion: t.exposeString('libvirtVersion'),
    qemuVersion: t.exposeString('qemuVersion'),
    numaNodes: t.field({ type: [NumaNodeRef], resolve: (h) => h.numa }),
  }),
});

/** The hardware in a host's stored capabilities; null before its agent said hello, or from an agent that does not report it. */
export function hostHardware(capabilities: unknown): Hardware | null {
  const parsed = HostHardware.safeParse((capabilities as { hardware?: unknown } | null)?.hardware);
  return parsed.success ? parsed.data : null;
}
