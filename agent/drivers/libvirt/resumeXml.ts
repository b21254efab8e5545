// The definition a memory snapshot's saved domain resumes on: the XML libvirt saved with the memory
// (its devices and their addresses, which a restore must keep) with each disk's and CD-ROM's image
// taken from today's definition, matched by target device: after a preview the disks are overlays
// over the volumes the memory was saved with. Their old backing chains are dropped; libvirt reads
// the new ones from the images.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
const options = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', commentPropName: '#comment' } as const;

const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const children = (n: Node) => n[tagOf(n)] as Node[];
const child = (n: Node, tag: string) => children(n).find((c) => tagOf(c) === tag);

/** The disk elements of a parsed domain, by their target device. */
function disksByTarget(doc: Node[]): Map<string, Node> {
  const domain = doc.find((n) => tagOf(n) === 'domain');
  const devices = domain && child(domain, 'devices');
  const disks = devices ? children(devices).filter((n) => tagOf(n) === 'disk') : [];
  return new Map(disks.flatMap((d) => (child(d, 'target')?.[':@']?.dev ? [[child(d, 'target')![':@']!.dev!, d] as const] : [])));
}

export function resumeXml(saved: string, current: string): string {
  const parser = new XMLParser(options);
  const savedDoc = parser.parse(saved) as Node[];
  const now = disksByTarget(parser.parse(current) as Node[]);
  for (const [dev, disk] of disksByTarget(savedDoc)) {
    const source = now.get(dev) && child(now.get(dev)!, 'source');
    const list = children(disk);
    const kept = list.filter((c) => tagOf(c) !== 'backingStore' && tagOf(c) !== 'source');
    list.splice(0, list.length, ...(source ? [source] : []), ...kept);
  }
  return new XMLBuilder({ ...options, format: true, suppressEmptyNode: true }).build(savedDoc);
}
