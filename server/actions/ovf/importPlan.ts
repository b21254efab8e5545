// The plan of an import: what importVm or importTemplate would create from an OVF descriptor (and
// an OVA's files), every warning, and every refusal. Read-only; computed once per run.
// Choices:
// * A descriptor is a VM or a template (oVirt's TemplateId equal to its own id); importVm takes VMs
//   and importTemplate templates, as oVirt imports templates as templates (OVF_IS_TEMPLATE, OVF_NOT_A_TEMPLATE).
// * The object keeps the OVF's id when it is a UUID (disks and NICs too), and a VM records its
//   source's identity (OvfVm.sourceIdentity: the UUID, VMware's BIOS UUID, or a hash of the virtual
//   system), so a second import of the same source is refused with VM_ALREADY_EXISTS (templates:
//   TEMPLATE_ALREADY_EXISTS); `clone` gives every object a new id (and `name` a new name).
// * A NIC whose source network is not in the mapping is created without a network and unplugged,
//   with a NIC_NETWORK_UNMAPPED warning; mapping a source network to null means "no network" on purpose.
// * A MAC from the file is kept when no NIC of the engine has it; otherwise the pool gives one (MAC_REASSIGNED).
// * Every VM disk gets an image on its storage domain, made by a host (server/storage/hostVolumes.ts). An OVA's disk image,
//   inspected and converted to the disk's format by a host before the action (ovaImages.ts), is moved
//   into place; its virtual size must fit the disk's capacity. A descriptor alone, or an OVA received by a
//   host without qemu-img, gives empty images (DISK_DATA_NOT_IMPORTED / DISK_DATA_NOT_CONVERTED).
//   Image files of a failed import are removed (compensation). Template disks are metadata only.
// * Guaranteed memory, high availability (and its priority), stateless and the console come from
//   oVirt's MinAllocatedMem, AutoStartup, Priority, IsStateless and display type; a VM made from a
//   template is linked to it when this engine has it (else TEMPLATE_NOT_FOUND).
// * Controllers, CD-ROMs, direct LUNs, snapshots, USB and other devices Vireo does not model are
//   warnings, as are the reader's (settings Vireo has no equivalent for) and the package's (no manifest, a signature).
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db.ts';
import { objectName } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { VireoError, type Reason } from '../../errors.ts';
import { isUuid, readOvf, type OvfVm } from '../../ovf/index.ts';
import type { DisplayType } from '../../../generated/prisma/enums.ts';
import { MAX_OVF_BYTES, type ImportKind, type ImportVmParams, type ImportWarning } from './importParams.ts';
import {
  domainsHaveRoom,
  fitName,
  networksUsable,
  planDisks,
  planNics,
  type PartsContext,
  type PlannedDisk,
  type PlannedNic,
} from './importParts.ts';

export interface ImportPlan {
  kind: ImportKind;
  producer: OvfVm['producer'] | null;
  id: string;
  name: string;
  description: string;
  clusterId: string;
  dataCenterId: string | null;
  osType: string;
  cpuSockets: number;
  cpuCores: number;
  cpuThreads: number;
  memoryMb: number;
  guaranteedMemoryMb: number;
  highlyAvailable: boolean;
  haPriority: number;
  stateless: boolean;
  displayType: DisplayType;
  /** The template a VM is linked to (the source's, when this engine has it). */
  templateId: string | null;
  /** A template's version (1 unless the source gives one). */
  templateVersion: number;
  /** The source identity a VM records (Vm.importSource); null for clones and templates. */
  importSource: string | null;
  disks: PlannedDisk[];
  nics: PlannedNic[];
  warnings: ImportWarning[];
  /** Why the import would be refused; empty when it can run. */
  reasons: Reason[];
}

const read = new WeakMap<ImportVmParams, OvfVm | VireoError>();

/** The descriptor read once per params object: the OvfVm, or the reader's typed error. */
export function readSource(p: ImportVmParams): OvfVm | VireoError {
  let r = read.get(p);
  if (!r) {
    try {
      r = readOvf(p.ovf, { maxBytes: MAX_OVF_BYTES });
    } catch (e) {
      if (!(e instanceof VireoError)) throw e;
      r = e;
    }
    read.set(p, r);
  }
  return r;
}

const noun = (kind: ImportKind) => (kind === 'vm' ? 'VM' : 'Template');

/** Refuses a template given to importVm and a VM given to importTemplate. */
function kindMatches(source: OvfVm, kind: ImportKind): Reason | null {
  if (source.kind === kind) return null;
  return kind === 'vm'
    ? {
        code: 'OVF_IS_TEMPLATE',
        message: `The descriptor is the template ${source.name} (its TemplateId is its own id); import it with importTemplate.`,
      }
    : { code: 'OVF_NOT_A_TEMPLATE', message: `The descriptor is the VM ${source.name}, not a template; import it with importVm.` };
}

/** The object's id, refusing a second import of the same source (by id, and for VMs by source identity) unless cloning. */
async function identity(tx: Tx, p: ImportVmParams, kind: ImportKind, source: OvfVm, reasons: (Reason | null)[]) {
  const keep = !p.clone && isUuid(source.id);
  const id = keep ? source.id!.toLowerCase() : randomUUID();
  if (p.clone) return { id, importSource: null };
  if (kind === 'template') {
    const existing = keep ? await tx.template.findUnique({ where: { id }, select: { name: true } }) : null;
    reasons.push(
      refuseWhen(
        !!existing,
        'TEMPLATE_ALREADY_EXISTS',
        `Template ${source.name} (${id}) already exists${existing ? ` as ${existing.name}` : ''}; import it with clone to make a copy with new ids.`,
      ),
    );
    return { id, importSource: null };
  }
  const existing = await tx.vm.findFirst({
    where: { OR: [...(keep ? [{ id }] : []), { importSource: source.sourceIdentity }] },
    select: { id: true, name: true },
  });
  if (existing) {
    const how =
      existing.id === id
        ? `(${id}) already exists as ${existing.name}`
        : `was already imported from this source as ${existing.name} (same ${source.sourceIdentity.split(':')[0]})`;
    reasons.push({ code: 'VM_ALREADY_EXISTS', message: `VM ${source.name} ${how}; import it with clone to make a copy with new ids.` });
  }
  return { id, importSource: source.sourceIdentity };
}

/** The name is free: VMs per data center, templates per name and version. */
async function nameIsFree(tx: Tx, kind: ImportKind, name: string, dataCenterId: string, version: number): Promise<Reason | null> {
  if (kind === 'template') {
    const taken = await tx.template.count({ where: { name, version } });
    return refuseWhen(
      taken > 0,
      'TEMPLATE_NAME_ALREADY_USED',
      `The name ${name} (version ${version}) is already used by another template; give the import another name.`,
    );
  }
  const taken = await tx.vm.count({ where: { name, cluster: { dataCenterId } } });
  return refuseWhen(
    taken > 0,
    'VM_NAME_ALREADY_USED',
    `The name ${name} is already used by another VM in the data center; give the import another name.`,
  );
}

/** The template a VM is linked to: the source's, when this engine has it in the same data center. */
async function templateLink(tx: Tx, source: OvfVm, dataCenterId: string, warnings: ImportWarning[]): Promise<string | null> {
  if (!source.template) return null;
  const t = await tx.template.findUnique({ where: { id: source.template.id }, include: { cluster: true } });
  if (t && (t.cluster === null || t.cluster.dataCenterId === dataCenterId)) return t.id;
  warnings.push({
    code: 'TEMPLATE_NOT_FOUND',
    message: `The VM was made from template ${source.template.name || source.template.id} (${source.template.id}), which ${t ? 'belongs to another data center' : 'this engine does not have'}; it is imported as an independent VM.`,
  });
  return null;
}

/** Everything the import would create, with warnings and refusals. Read-only. */
export async function planImport(tx: Tx, p: ImportVmParams, kind: ImportKind = 'vm'): Promise<ImportPlan> {
  const cluster = found(await tx.cluster.findUnique({ where: { id: p.clusterId } }), 'Cluster', p.clusterId);
  const source = readSource(p);
  const empty: ImportPlan = {
    kind,
    producer: null,
    id: '',
    name: p.name ?? '',
    description: '',
    clusterId: cluster.id,
    dataCenterId: cluster.dataCenterId,
    osType: 'other',
    cpuSockets: 1,
    cpuCores: 1,
    cpuThreads: 1,
    memoryMb: 0,
    guaranteedMemoryMb: 0,
    highlyAvailable: false,
    haPriority: 1,
    stateless: false,
    displayType: 'VNC',
    templateId: null,
    templateVersion: 1,
    importSource: null,
    disks: [],
    nics: [],
    warnings: [],
    reasons: [],
  };
  if (source instanceof VireoError) return { ...empty, reasons: [{ code: source.code, message: source.message }] };

  const warnings: ImportWarning[] = [...p.packageWarnings, ...source.warnings].map((w) => ({ ...w }));
  const reasons: (Reason | null)[] = [kindMatches(source, kind)];

  // --- the VM or template
  let name = p.name ?? source.name;
  if (!p.name && !objectName.safeParse(name).success) {
    name = fitName(source.name);
    warnings.push({ code: 'NAME_CHANGED', message: `${noun(kind)} name "${source.name}" is not a valid name; using "${name}".` });
  }
  const { id, importSource } = await identity(tx, p, kind, source, reasons);
  const templateVersion = kind === 'template' ? (source.templateVersion ?? 1) : 1;
  reasons.push(await nameIsFree(tx, kind, name, cluster.dataCenterId, templateVersion));
  const { sockets, cores, threads } = source.cpu;
  reasons.push(
    refuseWhen(
      sockets > 16 || cores > 254 || threads > 8,
      'OVF_HARDWARE_UNSUPPORTED',
      `The ${noun(kind)} has ${sockets} sockets × ${cores} cores × ${threads} threads; Vireo allows at most 16 × 254 × 8.`,
    ),
  );
  reasons.push(
    refuseWhen(
      source.memoryMb < 128 || source.memoryMb > 16 * 1024 * 1024,
      'OVF_HARDWARE_UNSUPPORTED',
      `The ${noun(kind)} has ${source.memoryMb} MiB of memory; Vireo needs between 128 MiB and 16 TiB.`,
    ),
  );
  let description = source.description;
  if (description.length > 1024) {
    description = description.slice(0, 1024);
    warnings.push({ code: 'IGNORED_VALUE', message: 'The description was cut to 1024 characters.' });
  }
  const osType = source.os.type;
  const templateId = kind === 'vm' ? await templateLink(tx, source, cluster.dataCenterId, warnings) : null;

  // --- disks and NICs
  const parts: PartsContext = { tx, p, kind, name, warnings, reasons };
  const disks = await planDisks(parts, source);
  reasons.push(...(await domainsHaveRoom(tx, cluster.dataCenterId, disks)));
  const nics = await planNics(parts, source);
  reasons.push(...(await networksUsable(tx, cluster.id, nics)));

  // --- what Vireo does not model
  for (const c of source.controllers) {
    warnings.push({
      code: 'CONTROLLER_NOT_IMPORTED',
      message: `${c.type} controller ${c.id}${c.model ? ` (${c.model})` : ''} is not represented; its disks keep their bus.`,
    });
  }
  for (const c of source.cdroms) {
    warnings.push({
      code: 'CDROM_NOT_IMPORTED',
      message: `CD-ROM ${c.id}${c.image ? ` with ${c.image}` : ' (empty)'} is not imported; attach the ISO after import.`,
    });
  }
  for (const l of source.lunDisks) {
    warnings.push({ code: 'LUN_NOT_IMPORTED', message: `Direct LUN disk ${l.alias} (LUN ${l.lunId}) is not imported.` });
  }
  if (source.snapshots.some((s) => s.type !== 'ACTIVE')) {
    warnings.push({
      code: 'SNAPSHOTS_NOT_IMPORTED',
      message: `${source.snapshots.filter((s) => s.type !== 'ACTIVE').length} snapshot(s) are not imported; the ${noun(kind)} is imported as its current state.`,
    });
  }

  return {
    kind,
    producer: source.producer,
    id,
    name,
    description,
    clusterId: cluster.id,
    dataCenterId: cluster.dataCenterId,
    osType,
    cpuSockets: sockets,
    cpuCores: cores,
    cpuThreads: threads,
    memoryMb: source.memoryMb,
    ...availability(source, kind, warnings),
    displayType: source.displayType ?? 'VNC',
    templateId,
    templateVersion,
    importSource,
    disks,
    nics,
    warnings,
    reasons: reasons.filter((r): r is Reason => r !== null),
  };
}

/** Guaranteed memory, HA with its priority, stateless: the source's, or Vireo's defaults (templates keep no HA priority). */
function availability(source: OvfVm, kind: ImportKind, warnings: ImportWarning[]) {
  let haPriority = source.haPriority ?? 1;
  if (haPriority < 1 || haPriority > 100) {
    const fitted = Math.min(100, Math.max(1, haPriority));
    warnings.push({ code: 'IGNORED_VALUE', message: `HA priority ${haPriority} is outside 1–100; using ${fitted}.` });
    haPriority = fitted;
  }
  if (kind === 'template' && haPriority !== 1) {
    warnings.push({
      code: 'IGNORED_VALUE',
      message: `HA priority ${haPriority} is not kept: templates have none, and VMs made from them get 1.`,
    });
    haPriority = 1;
  }
  return {
    guaranteedMemoryMb: Math.min(source.guaranteedMemoryMb ?? source.memoryMb, source.memoryMb),
    highlyAvailable: source.highlyAvailable ?? false,
    haPriority,
    stateless: source.stateless ?? false,
  };
}
