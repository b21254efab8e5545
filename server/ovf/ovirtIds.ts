// Bringing a description into the shape oVirt's OVF needs: UUID ids everywhere, file hrefs of the
// form `<disk id>/<image id>`, oVirt's format URIs, oVirt's OS name.
import { createHash, randomUUID } from 'node:crypto';
import type { OvfDiskFormat, OvfVm } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in its canonical textual form. */
export function isUuid(value: string | null | undefined): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A UUID derived from an object's id and a purpose (the same every time): ids of devices Vireo keeps no row for. */
export function derivedId(objectId: string, purpose: string): string {
  const h = createHash('sha1').update(`vireo-ovf:${objectId}:${purpose}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The ovf:format URI oVirt writes for a volume format. */
export const OVIRT_FORMAT_URI: Record<OvfDiskFormat, string> = {
  RAW: 'http://www.vmware.com/specifications/vmdk.html#sparse',
  COW: 'http://www.gnome.org/~markmc/qcow-image-format.html',
};

/** Warnings that describe the OVF itself and so come back when an oVirt OVF is read again. */
const PERSISTENT_WARNINGS = new Set(['DIRECT_LUN']);

/**
 * Returns the description exactly as reading back `writeOvirtOvf(vm)` yields it: every id that is
 * not a UUID replaced by `makeId()` (the same replacement for the same id within one list), files
 * named `<disk id>/<image id>`, `sourceFormat` set to oVirt's URI, `os.raw` set to the oVirt OS name,
 * producer `ovirt`, the console VNC when not said (what the writer writes), and only the warnings
 * a re-read reproduces. A snapshot without a date reads back with the export date. Pure apart from `makeId`.
 */
export function toOvirtDescription(vm: OvfVm, makeId: () => string = randomUUID): OvfVm {
  // One replacement map per kind of object: NIC "3" and controller "3" are different objects.
  const fixer = () => {
    const seen = new Map<string, string>();
    return (id: string | null): string => {
      if (isUuid(id)) return id;
      if (id === null) return makeId();
      if (!seen.has(id)) seen.set(id, makeId());
      return seen.get(id)!;
    };
  };
  const fix = fixer();
  const fixSnapshot = fixer();
  const fixNic = fixer();
  const fixController = fixer();
  const fixCdrom = fixer();
  const id = fix(vm.id);
  return {
    ...vm,
    producer: 'ovirt',
    id,
    sourceIdentity: `id:${id.toLowerCase()}`,
    template: vm.kind === 'template' ? null : vm.template,
    templateVersion: vm.kind === 'template' ? (vm.templateVersion ?? 1) : null,
    displayType: vm.displayType ?? 'VNC',
    os: { raw: vm.os.type, type: vm.os.type },
    cpu: { ...vm.cpu },
    // What oVirt's writer puts when the source says nothing.
    guaranteedMemoryMb: vm.guaranteedMemoryMb ?? vm.memoryMb,
    highlyAvailable: vm.highlyAvailable ?? false,
    haPriority: vm.haPriority ?? 1,
    stateless: vm.stateless ?? false,
    disks: vm.disks.map((d) => {
      const id = fix(d.id);
      const imageId = fix(d.imageId);
      return {
        ...d,
        id,
        imageId,
        file: { id: imageId, href: `${id}/${imageId}`, sizeBytes: d.file?.sizeBytes ?? null },
        sourceFormat: OVIRT_FORMAT_URI[d.format],
        snapshotId: d.snapshotId === null ? null : fixSnapshot(d.snapshotId),
      };
    }),
    lunDisks: vm.lunDisks.map((l) => ({ ...l, id: fix(l.id), connections: l.connections.map((c) => ({ ...c })) })),
    nics: vm.nics.map((n) => ({ ...n, id: fixNic(n.id) })),
    controllers: vm.controllers.map((c) => ({ ...c, id: fixController(c.id) })),
    cdroms: vm.cdroms.map((c) => ({ ...c, id: fixCdrom(c.id) })),
    snapshots: vm.snapshots.map((s) => ({ ...s, id: fixSnapshot(s.id) })),
    warnings: vm.warnings.filter((w) => PERSISTENT_WARNINGS.has(w.code)),
  };
}
