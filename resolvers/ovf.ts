// OVF/OVA import and export: the importVm mutation (descriptor text or OVA upload), its canImportVm
// dry run and the ovfImportPreview query, and vmOvf/templateOvf (oVirt-flavour OVF of an object).
// The OVA download is an HTTP route (server/http/ova.ts), not a GraphQL field.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { builder } from '../schema/builder.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { ActionCheckRef, ReasonRef } from '../schema/types/errors.ts';
import { DiskFormat, DiskInterface, NicInterface } from '../schema/types/enums.ts';
import { VmRef } from '../schema/types/vm.ts';
import { StorageDomainRef } from '../schema/types/storage.ts';
import { NetworkRef } from '../schema/types/network.ts';
import { canSee } from '../server/auth/permissions.ts';
import { canRunAction, parseParams, recordFailure, runAction } from '../server/actions/runAction.ts';
import { importVm, previewImport, type ImportResult } from '../server/actions/ovf/importVm.ts';
import { MAX_OVF_BYTES, type ImportPlan, type ImportWarning, type PlannedDisk, type PlannedNic } from '../server/actions/ovf/importPlan.ts';
import { convertPackage, inspectPackage, type PackageFile } from '../server/actions/ovf/ovaImages.ts';
import { tempDir } from '../server/storage/images.ts';
import { uploadOf } from '../server/storage/uploads.ts';
import { loadConfig } from '../server/config.ts';
import { ovfText } from '../server/actions/ovf/exportVm.ts';
import { ActionFailedError, ForbiddenError, InputError, NotFoundError, ValidationError, VireoError } from '../server/errors.ts';
import { readOva, type OvfVm } from '../server/ovf/index.ts';
import { writeAuditLog } from '../server/audit/auditLog.ts';
import type { Engine } from '../server/engine.ts';
import type { Actor } from '../server/auth/actor.ts';

/**
 * GraphQL multipart upload (https://github.com/jaydenseric/graphql-multipart-request-spec). The
 * engine streams the file to disk while the request is read and puts `{ vireoUpload: <token> }`
 * in its place (server/http/ovaUpload.ts).
 */
// The builder's Scalars do not list File; the ref is used directly below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FileScalar = (builder as any).scalarType('File', {
  description: 'A file sent with a GraphQL multipart request.',
  serialize: () => { throw new Error('File is an input-only scalar'); },
  parseValue: (value: unknown) => value,
}) as never;

const NetworkMapping = builder.inputType('OvfNetworkMappingInput', {
  fields: (t) => ({
    source: t.string({ required: true, description: "The source network's name as the OVF gives it (rasd:Connection)." }),
    network: t.id({ required: false, description: 'A VM network attached to the target cluster; null: leave the NICs without a network.' }),
  }),
});
const DiskMapping = builder.inputType('OvfDiskMappingInput', {
  fields: (t) => ({
    sourceDisk: t.string({ required: true, description: "The disk's id in the OVF (oVirt: the disk id; others: DiskSection diskId, e.g. vmdisk1)." }),
    storageDomain: t.id({ required: true }),
  }),
});
const ImportInput = builder.inputType('ImportVmInput', {
  fields: (t) => ({
    ovf: t.string({ required: false, description: 'The OVF descriptor text (give this or `ova`).' }),
    ova: t.field({ type: FileScalar, required: false, description: 'An OVA package uploaded as a multipart file (give this or `ovf`).' }),
    cluster: t.id({ required: true }),
    storageDomain: t.id({ required: false, description: 'Storage domain of every disk not named in `disks`.' }),
    disks: t.field({ type: [DiskMapping], required: false }),
    networks: t.field({ type: [NetworkMapping], required: false, description: 'NICs on a source network not mapped here are created without a network, unplugged, with a warning.' }),
    clone: t.boolean({ required: false, description: 'New ids for the VM, its disks and NICs (an import of a VM that already exists needs it).' }),
    name: t.string({ required: false, description: "The new VM's name (default: the OVF's)." }),
  }),
});
type ImportInputShape = typeof ImportInput.$inferInput;

async function logRefusal(engine: Engine, actor: Actor, error: ValidationError): Promise<void> {
  try {
    const id = await writeAuditLog(engine.db, {
      code: 'USER_ACTION_REFUSED', userName: actor.userName,
      vars: { action: importVm.title, reason: error.message.replace(/^Cannot [^:]*: /, '') },
    });
    engine.pubsub.publish('audit:created', { id });
  } catch (logErr) {
    console.error('could not write the event of a refused OVA import:', logErr);
  }
}

/** Action params from the GraphQL input; an OVA's files stay unpacked in `dir` until `cleanup()`. */
interface PreparedImport {
  params: Record<string, unknown>;
  /** The OVA's descriptor as read and its files (disk images inspected); null and [] for a descriptor alone. */
  vm: OvfVm | null;
  files: PackageFile[];
  dir: string | null;
  cleanup(): Promise<void>;
}

const refused = (code: string, message: string) => new ValidationError(importVm.title, [{ code, message }]);

/**
 * GraphQL input → action params. An upload is an OVA or a bare OVF descriptor (by its first byte),
 * refused over its configured size. An OVA is unpacked into a temporary directory under the data
 * dir and checked (entries, sizes, manifest, disk images).
 */
async function importParams(input: ImportInputShape): Promise<PreparedImport> {
  const common = {
    clusterId: localId(String(input.cluster), 'Cluster', 'cluster'),
    storageDomainId: optionalLocalId(input.storageDomain as string | null, 'StorageDomain', 'storageDomain'),
    disks: (input.disks ?? []).map((d, i) => ({ sourceId: d.sourceDisk, storageDomainId: localId(String(d.storageDomain), 'StorageDomain', `disks.${i}.storageDomain`) })),
    networks: (input.networks ?? []).map((n, i) => ({ source: n.source, networkId: optionalLocalId(n.network as string | null, 'Network', `networks.${i}.network`) ?? null })),
    clone: input.clone ?? false,
    name: input.name ?? undefined,
  };
  const none = { vm: null, files: [], dir: null, cleanup: async () => {} };
  const ova = (input as { ova?: unknown }).ova;
  if ((input.ovf == null) === (ova == null)) throw new InputError([{ path: 'ovf', message: 'give exactly one of ovf (descriptor text) and ova (upload)' }]);
  if (input.ovf != null) return { ...none, params: { ...common, ovf: input.ovf, source: 'OVF' } };
  // The multipart request was streamed to disk (server/http/ovaUpload.ts); the variable holds its token.
  const upload = uploadOf((ova as { vireoUpload?: unknown }).vireoUpload);
  if (!upload) throw new InputError([{ path: 'ova', message: 'must be a file of a multipart request' }]);
  const config = loadConfig();
  if (upload.tooLarge || !upload.path) {
    throw refused('OVA_TOO_LARGE', `The uploaded file ${upload.fileName} is larger than the limit of ${upload.limitBytes} bytes (VIREO_MAX_OVA_BYTES).`);
  }
  const file = upload.path;
  const head = Buffer.alloc(64);
  const handle = await open(file, 'r');
  try { await handle.read(head, 0, 64, 0); } finally { await handle.close(); }
  if (/^(\uFEFF)?\s*</.test(head.toString('utf8'))) {
    const limit = Math.min(config.VIREO_MAX_OVF_BYTES, MAX_OVF_BYTES);
    if (upload.sizeBytes > limit) throw refused('OVF_TOO_LARGE', `The uploaded OVF descriptor is ${upload.sizeBytes} bytes, more than the limit of ${limit} bytes (VIREO_MAX_OVF_BYTES).`);
    return { ...none, params: { ...common, ovf: await readFile(file, 'utf8'), source: 'OVF' } };
  }
  const dir = await tempDir('import');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const contents = await readOva(createReadStream(file), {
      extractTo: path.join(dir, 'files'), maxOvfBytes: MAX_OVF_BYTES, maxTotalBytes: config.VIREO_MAX_OVA_BYTES,
    });
    const files = await inspectPackage(contents);
    return { params: { ...common, ovf: contents.ovfXml, source: 'OVA', files }, vm: contents.vm, files, dir, cleanup };
  } catch (e) {
    await cleanup();
    if (e instanceof VireoError) throw refused(e.code, e.message);
    throw e;
  }
}

/** Runs `fn` with the prepared import, then removes its temporary files. */
async function withImport<T>(input: ImportInputShape, fn: (prepared: PreparedImport) => Promise<T>): Promise<T> {
  const prepared = await importParams(input);
  try { return await fn(prepared); } finally { await prepared.cleanup(); }
}

/**
 * Converts the OVA's disk images into their disks' formats when the import would be allowed (so a
 * refused import converts nothing); a failed conversion fails the import with an event.
 */
async function convertIfAllowed(engine: Engine, actor: Actor, prepared: PreparedImport): Promise<void> {
  if (!prepared.vm || !prepared.files.some((f) => f.image)) return;
  if ((await canRunAction(engine, actor, importVm, prepared.params)).length) return;
  try {
    await convertPackage(prepared.vm, prepared.files, prepared.dir!);
  } catch (e) {
    const error = new ActionFailedError(importVm.title, `converting the disk images failed: ${(e as Error).message}`);
    await recordFailure(engine, actor, importVm, parseParams(importVm.params, prepared.params), error, randomUUID());
    throw error;
  }
}

const WarningRef = builder.objectRef<ImportWarning>('OvfWarning').implement({
  description: 'Something of the source VM that Vireo does not represent (or represents differently).',
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

const ImportResultRef = builder.objectRef<ImportResult>('ImportedVm').implement({
  fields: (t) => ({
    vm: t.field({ type: VmRef, resolve: (r, _a, ctx) => ctx.db.vm.findUniqueOrThrow({ where: { id: r.vm.id } }) }),
    warnings: t.field({ type: [WarningRef], resolve: (r) => r.warnings }),
  }),
});

const PreviewDisk = builder.objectRef<PlannedDisk>('OvfImportDisk').implement({
  fields: (t) => ({
    sourceId: t.exposeString('sourceId', { description: "The disk's id in the OVF." }),
    id: t.exposeString('id', { description: 'The disk id it gets (a new random one for clones and non-UUID ids, which changes between previews).' }),
    alias: t.exposeString('alias'),
    description: t.exposeString('description'),
    provisionedSizeBytes: t.field({ type: 'Long', resolve: (d) => d.provisionedSizeBytes }),
    actualSizeBytes: t.field({ type: 'Long', resolve: (d) => d.actualSizeBytes }),
    format: t.field({ type: DiskFormat, resolve: (d) => d.format }),
    sparse: t.exposeBoolean('sparse'),
    shareable: t.exposeBoolean('shareable'),
    bootable: t.exposeBoolean('bootable'),
    hasData: t.exposeBoolean('hasData', { description: "The package holds the disk's image, converted onto the storage domain on import; false: the disk is created empty." }),
    interface: t.field({ type: DiskInterface, resolve: (d) => d.interface }),
    storageDomain: t.field({ type: StorageDomainRef, nullable: true, resolve: (d, _a, ctx) => (d.storageDomainId ? ctx.db.storageDomain.findUnique({ where: { id: d.storageDomainId } }) : null) }),
  }),
});
const PreviewNic = builder.objectRef<PlannedNic>('OvfImportNic').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    sourceNetwork: t.exposeString('sourceNetwork', { nullable: true }),
    network: t.field({ type: NetworkRef, nullable: true, resolve: (n, _a, ctx) => (n.networkId ? ctx.db.network.findUnique({ where: { id: n.networkId } }) : null) }),
    interface: t.field({ type: NicInterface, resolve: (n) => n.interface }),
    macAddress: t.exposeString('macAddress', { nullable: true, description: 'The MAC from the file; null: one from the MAC pool.' }),
    linked: t.exposeBoolean('linked'),
    plugged: t.exposeBoolean('plugged'),
  }),
});
const PreviewVm = builder.objectRef<ImportPlan>('OvfImportVm').implement({
  description: 'The VM an import would create.',
  fields: (t) => ({
    producer: t.string({ description: 'ovirt, vmware, virtualbox or other.', resolve: (p) => p.producer ?? 'other' }),
    id: t.exposeString('id', { description: "The VM's UUID: the OVF's when it has one and this is not a clone." }),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    osType: t.exposeString('osType'),
    cpuSockets: t.exposeInt('cpuSockets'),
    cpuCores: t.exposeInt('cpuCores'),
    cpuThreads: t.exposeInt('cpuThreads'),
    memoryMb: t.exposeInt('memoryMb'),
    guaranteedMemoryMb: t.exposeInt('guaranteedMemoryMb', { description: "oVirt's MinAllocatedMem; the memory when the source has none." }),
    highlyAvailable: t.exposeBoolean('highlyAvailable', { description: "oVirt's AutoStartup." }),
    haPriority: t.exposeInt('haPriority'),
    stateless: t.exposeBoolean('stateless'),
    disks: t.field({ type: [PreviewDisk], resolve: (p) => p.disks }),
    nics: t.field({ type: [PreviewNic], resolve: (p) => p.nics }),
  }),
});
const PreviewRef = builder.objectRef<{ plan: ImportPlan | null; reasons: { code: string; message: string }[] }>('OvfImportPreview').implement({
  description: 'What importVm would do with the same input; nothing is changed.',
  fields: (t) => ({
    allowed: t.boolean({ resolve: (p) => p.reasons.length === 0 }),
    reasons: t.field({ type: [ReasonRef], resolve: (p) => p.reasons }),
    warnings: t.field({ type: [WarningRef], resolve: (p) => p.plan?.warnings ?? [] }),
    vm: t.field({ type: PreviewVm, nullable: true, description: 'Null when the descriptor cannot be read.', resolve: (p) => p.plan }),
  }),
});

builder.mutationField('importVm', (t) =>
  t.field({
    type: ImportResultRef,
    description: 'Import a VM from an OVF descriptor or an OVA (oVirt, VMware, VirtualBox): a Down VM with its NICs and disks. Dry run: canImportVm; details: ovfImportPreview.',
    args: { input: t.arg({ type: ImportInput, required: true }) },
    errors: { dataField: { name: 'imported' } },
    resolve: async (_root, { input }, ctx) => {
      let prepared: PreparedImport;
      try { prepared = await importParams(input); } catch (e) {
        // A refused package never reaches runAction; its refusal is logged here the same way.
        if (e instanceof ValidationError) await logRefusal(ctx.engine, ctx.actor, e);
        throw e;
      }
      try {
        await convertIfAllowed(ctx.engine, ctx.actor, prepared);
        return await runAction(ctx.engine, ctx.actor, importVm, prepared.params);
      } finally { await prepared.cleanup(); }
    },
  }),
);

builder.queryFields((t) => ({
  canImportVm: t.field({
    type: ActionCheckRef,
    description: 'Dry run of importVm: every check it makes, nothing changed.',
    args: { input: t.arg({ type: ImportInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      try {
        return await withImport(input, (prepared) => canRunAction(ctx.engine, ctx.actor, importVm, prepared.params));
      } catch (e) {
        if (e instanceof ValidationError) return e.reasons;
        if (e instanceof VireoError) return [{ code: e.code, message: e.message }];
        throw e;
      }
    },
  }),
  ovfImportPreview: t.field({
    type: PreviewRef,
    description: 'The VM importVm would create from this input (name, OS, CPU, memory, disks with sizes and target domains, NICs with target networks), every warning, and the refusals, if any.',
    args: { input: t.arg({ type: ImportInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      try {
        return await withImport(input, (prepared) => previewImport(ctx.engine, ctx.actor, prepared.params));
      } catch (e) {
        if (e instanceof ValidationError) return { plan: null, reasons: e.reasons };
        if (e instanceof VireoError) return { plan: null, reasons: [{ code: e.code, message: e.message }] };
        throw e;
      }
    },
  }),
  vmOvf: t.string({
    description: "The VM's definition as oVirt-flavour OVF (what an oVirt export domain or OVA holds), from the database.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = localId(String(args.id), 'Vm', 'id');
      const row = await ctx.db.vm.findUnique({ where: { id }, select: { id: true, clusterId: true } });
      if (!row) throw new NotFoundError('VM', id);
      if (!canSee.vm(await ctx.visibility(), row)) throw new ForbiddenError('export VM');
      return ovfText(ctx.db, 'vm', id);
    },
  }),
  templateOvf: t.string({
    description: "The template's definition as oVirt-flavour OVF.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = localId(String(args.id), 'Template', 'id');
      const row = await ctx.db.template.findUnique({ where: { id }, select: { id: true } });
      if (!row) throw new NotFoundError('Template', id);
      const v = await ctx.visibility();
      if (!v.all && !v.templateIds.includes(id)) throw new ForbiddenError('export Template');
      return ovfText(ctx.db, 'template', id);
    },
  }),
}));
