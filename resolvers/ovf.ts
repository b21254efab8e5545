// OVF/OVA import and export: the importVm mutation (descriptor text or OVA upload), its canImportVm
// dry run and the ovfImportPreview query, and vmOvf/templateOvf (oVirt-flavour OVF of an object).
// The OVA download is an HTTP route (server/http/ova.ts), not a GraphQL field.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { builder } from '../schema/builder.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { ActionCheckRef, ReasonRef } from '../schema/types/errors.ts';
import { DiskFormat, DiskInterface, NicInterface } from '../schema/types/enums.ts';
import { VmRef } from '../schema/types/vm.ts';
import { StorageDomainRef } from '../schema/types/storage.ts';
import { NetworkRef } from '../schema/types/network.ts';
import { canSee } from '../server/auth/permissions.ts';
import { canRunAction, runAction } from '../server/actions/runAction.ts';
import { importVm, previewImport, type ImportPlan, type ImportResult, type ImportWarning, type PlannedDisk, type PlannedNic } from '../server/actions/ovf/importVm.ts';
import { ovfText } from '../server/actions/ovf/exportVm.ts';
import { ForbiddenError, InputError, NotFoundError, ValidationError, VireoError } from '../server/errors.ts';
import { readOva } from '../server/ovf/index.ts';
import { writeAuditLog } from '../server/audit/auditLog.ts';
import type { Engine } from '../server/engine.ts';
import type { Actor } from '../server/auth/actor.ts';

/** GraphQL multipart upload (https://github.com/jaydenseric/graphql-multipart-request-spec): a web File. */
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

/** The chunks of a web stream (Readable.fromWeb refuses the ponyfill's streams). */
async function* chunksOf(stream: WebReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** GraphQL input → action params; an OVA is read (and checked: entries, sizes, manifest) here. */
async function importParams(input: ImportInputShape): Promise<Record<string, unknown>> {
  const common = {
    clusterId: localId(String(input.cluster), 'Cluster', 'cluster'),
    storageDomainId: optionalLocalId(input.storageDomain as string | null, 'StorageDomain', 'storageDomain'),
    disks: (input.disks ?? []).map((d, i) => ({ sourceId: d.sourceDisk, storageDomainId: localId(String(d.storageDomain), 'StorageDomain', `disks.${i}.storageDomain`) })),
    networks: (input.networks ?? []).map((n, i) => ({ source: n.source, networkId: optionalLocalId(n.network as string | null, 'Network', `networks.${i}.network`) ?? null })),
    clone: input.clone ?? false,
    name: input.name ?? undefined,
  };
  const ova = (input as { ova?: unknown }).ova;
  if ((input.ovf == null) === (ova == null)) throw new InputError([{ path: 'ovf', message: 'give exactly one of ovf (descriptor text) and ova (upload)' }]);
  if (input.ovf != null) return { ...common, ovf: input.ovf, source: 'OVF' };
  // Yoga's File may come from its fetch ponyfill rather than the global Blob class.
  if (typeof (ova as Blob).stream !== 'function') throw new InputError([{ path: 'ova', message: 'must be a file of a multipart request' }]);
  try {
    const contents = await readOva(Readable.from(chunksOf((ova as Blob).stream() as unknown as WebReadableStream<Uint8Array>)));
    return {
      ...common, ovf: contents.ovfXml, source: 'OVA',
      files: contents.entries.filter((e) => e.name !== contents.ovfName).map((e) => ({ name: e.name, sizeBytes: BigInt(e.sizeBytes) })),
    };
  } catch (e) {
    if (e instanceof VireoError) throw new ValidationError(importVm.title, [{ code: e.code, message: e.message }]);
    throw e;
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
      let params: Record<string, unknown>;
      try { params = await importParams(input); } catch (e) {
        // A refused package never reaches runAction; its refusal is logged here the same way.
        if (e instanceof ValidationError) await logRefusal(ctx.engine, ctx.actor, e);
        throw e;
      }
      return runAction(ctx.engine, ctx.actor, importVm, params);
    },
  }),
);

builder.queryFields((t) => ({
  canImportVm: t.field({
    type: ActionCheckRef,
    description: 'Dry run of importVm: every check it makes, nothing changed.',
    args: { input: t.arg({ type: ImportInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      let params: unknown;
      try { params = await importParams(input); } catch (e) {
        if (e instanceof ValidationError) return e.reasons;
        if (e instanceof VireoError) return [{ code: e.code, message: e.message }];
        throw e;
      }
      return canRunAction(ctx.engine, ctx.actor, importVm, params);
    },
  }),
  ovfImportPreview: t.field({
    type: PreviewRef,
    description: 'The VM importVm would create from this input (name, OS, CPU, memory, disks with sizes and target domains, NICs with target networks), every warning, and the refusals, if any.',
    args: { input: t.arg({ type: ImportInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      let params: unknown;
      try { params = await importParams(input); } catch (e) {
        if (e instanceof ValidationError) return { plan: null, reasons: e.reasons };
        if (e instanceof VireoError) return { plan: null, reasons: [{ code: e.code, message: e.message }] };
        throw e;
      }
      return previewImport(ctx.engine, ctx.actor, params);
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
