// OVF/OVA import and export: importVm and importTemplate (descriptor text or OVA upload), their
// canImportVm/canImportTemplate dry runs and the ovfImportPreview/ovfTemplateImportPreview queries,
// and vmOvf/templateOvf (oVirt-flavour OVF of an object). The OVA download is an HTTP route
// (server/http/ova.ts), not a GraphQL field; reading uploads is in ovfPackage.ts.
import { builder } from '../schema/builder.ts';
import { localId } from '../schema/ids.ts';
import { ActionCheckRef, ReasonRef } from '../schema/types/errors.ts';
import { DiskFormat, DiskInterface, DisplayType, NicInterface } from '../schema/types/enums.ts';
import { VmRef } from '../schema/types/vm.ts';
import { StorageDomainRef } from '../schema/types/storageDomain.ts';
import { NetworkRef } from '../schema/types/network.ts';
import { canSee } from '../server/auth/permissions.ts';
import { canRunAction, runAction } from '../server/actions/runAction.ts';
import { importVm, type ImportResult } from '../server/actions/ovf/importVm.ts';
import { importTemplate, type ImportTemplateResult } from '../server/actions/ovf/importTemplate.ts';
import { previewImport } from '../server/actions/ovf/importCommon.ts';
import type { ImportPlan } from '../server/actions/ovf/importPlan.ts';
import type { ImportKind, ImportWarning } from '../server/actions/ovf/importParams.ts';
import type { PlannedDisk, PlannedNic } from '../server/actions/ovf/importParts.ts';
import { ovfText } from '../server/actions/ovf/exportVm.ts';
import { ForbiddenError, NotFoundError, ValidationError, VireoError } from '../server/errors.ts';
import { convertIfAllowed, importParams, withImport, type ImportAction, type ImportInputShape, type PreparedImport } from './ovfPackage.ts';
import { recordFailure } from '../server/actions/actionEvents.ts';

/**
 * GraphQL multipart upload (https://github.com/jaydenseric/graphql-multipart-request-spec). The
 * engine streams the file to disk while the request is read and puts `{ vireoUpload: <token> }`
 * in its place (server/http/ovaUpload.ts).
 */
// biome-ignore lint/suspicious/noExplicitAny: the builder's Scalars do not list File; the ref is used directly below
const FileScalar = (builder as any).scalarType('File', {
  description: 'A file sent with a GraphQL multipart request.',
  serialize: () => {
    throw new Error('File is an input-only scalar');
  },
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
    sourceDisk: t.string({
      required: true,
      description: "The disk's id in the OVF (oVirt: the disk id; others: DiskSection diskId, e.g. vmdisk1).",
    }),
    storageDomain: t.id({ required: true }),
  }),
});

/** ImportVmInput and ImportTemplateInput: the same fields, `what` naming the object. */
function importInput(name: string, what: 'VM' | 'template') {
  return builder.inputType(name, {
    fields: (t) => ({
      ovf: t.string({ required: false, description: 'The OVF descriptor text (give this or `ova`).' }),
      ova: t.field({ type: FileScalar, required: false, description: 'An OVA package uploaded as a multipart file (give this or `ovf`).' }),
      cluster: t.id({ required: true }),
      storageDomain: t.id({ required: false, description: 'Storage domain of every disk not named in `disks`.' }),
      disks: t.field({ type: [DiskMapping], required: false }),
      networks: t.field({
        type: [NetworkMapping],
        required: false,
        description: `NICs on a source network not mapped here are created without a network${what === 'VM' ? ', unplugged' : ''}, with a warning.`,
      }),
      clone: t.boolean({
        required: false,
        description: `New ids for the ${what}, its disks and NICs (an import of a ${what} that already exists needs it).`,
      }),
      name: t.string({ required: false, description: `The new ${what}'s name (default: the OVF's).` }),
    }),
  });
}
const ImportInput = importInput('ImportVmInput', 'VM');
const ImportTemplateInput = importInput('ImportTemplateInput', 'template');

const WarningRef = builder.objectRef<ImportWarning>('OvfWarning').implement({
  description: 'Something of the source (VM, template or package) that Vireo does not represent, or represents differently.',
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

const ImportResultRef = builder.objectRef<ImportResult>('ImportedVm').implement({
  fields: (t) => ({
    vm: t.field({ type: VmRef, resolve: (r, _a, ctx) => ctx.db.vm.findUniqueOrThrow({ where: { id: r.vm.id } }) }),
    warnings: t.field({ type: [WarningRef], resolve: (r) => r.warnings }),
  }),
});
const ImportTemplateResultRef = builder.objectRef<ImportTemplateResult>('ImportedTemplate').implement({
  fields: (t) => ({
    template: t.prismaField({
      type: 'Template',
      resolve: (query, r, _a, ctx) => ctx.db.template.findUniqueOrThrow({ ...query, where: { id: r.template.id } }),
    }),
    warnings: t.field({ type: [WarningRef], resolve: (r) => r.warnings }),
  }),
});
const ImportKindEnum = builder.enumType('OvfImportKind', {
  description: 'What a descriptor describes: a VM, or a template (oVirt: its TemplateId is its own id).',
  values: { VM: { value: 'vm' }, TEMPLATE: { value: 'template' } } as const,
});

const PreviewDisk = builder.objectRef<PlannedDisk>('OvfImportDisk').implement({
  fields: (t) => ({
    sourceId: t.exposeString('sourceId', { description: "The disk's id in the OVF." }),
    id: t.exposeString('id', {
      description: 'The disk id it gets (a new random one for clones and non-UUID ids, which changes between previews).',
    }),
    alias: t.exposeString('alias'),
    description: t.exposeString('description'),
    provisionedSizeBytes: t.field({ type: 'Long', resolve: (d) => d.provisionedSizeBytes }),
    actualSizeBytes: t.field({ type: 'Long', resolve: (d) => d.actualSizeBytes }),
    format: t.field({ type: DiskFormat, resolve: (d) => d.format }),
    sparse: t.exposeBoolean('sparse'),
    shareable: t.exposeBoolean('shareable'),
    bootable: t.exposeBoolean('bootable'),
    hasData: t.exposeBoolean('hasData', {
      description: "The package holds the disk's image, converted onto the storage domain on import; false: the disk is created empty.",
    }),
    interface: t.field({ type: DiskInterface, resolve: (d) => d.interface }),
    storageDomain: t.field({
      type: StorageDomainRef,
      nullable: true,
      resolve: (d, _a, ctx) => (d.storageDomainId ? ctx.db.storageDomain.findUnique({ where: { id: d.storageDomainId } }) : null),
    }),
  }),
});
const PreviewNic = builder.objectRef<PlannedNic>('OvfImportNic').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    sourceNetwork: t.exposeString('sourceNetwork', { nullable: true }),
    network: t.field({
      type: NetworkRef,
      nullable: true,
      resolve: (n, _a, ctx) => (n.networkId ? ctx.db.network.findUnique({ where: { id: n.networkId } }) : null),
    }),
    interface: t.field({ type: NicInterface, resolve: (n) => n.interface }),
    macAddress: t.exposeString('macAddress', { nullable: true, description: 'The MAC from the file; null: one from the MAC pool.' }),
    linked: t.exposeBoolean('linked'),
    plugged: t.exposeBoolean('plugged'),
  }),
});
const PreviewVm = builder.objectRef<ImportPlan>('OvfImportVm').implement({
  description: 'The VM (importVm) or template (importTemplate) an import would create.',
  fields: (t) => ({
    producer: t.string({ description: 'ovirt, vmware, virtualbox or other.', resolve: (p) => p.producer ?? 'other' }),
    kind: t.field({ type: ImportKindEnum, description: 'What the import creates.', resolve: (p) => p.kind }),
    id: t.exposeString('id', { description: "The new object's UUID: the OVF's when it has one and this is not a clone." }),
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
    displayType: t.field({
      type: DisplayType,
      description: "The console: oVirt's graphics device or display type; VNC when the source says nothing.",
      resolve: (p) => p.displayType,
    }),
    template: t.prismaField({
      type: 'Template',
      nullable: true,
      description: "The template a VM is linked to: the source's, when this engine has it.",
      resolve: (query, p, _a, ctx) => (p.templateId ? ctx.db.template.findUnique({ ...query, where: { id: p.templateId } }) : null),
    }),
    templateVersion: t.exposeInt('templateVersion', {
      description: "A template's version (oVirt's TemplateVersionNumber; 1 when not given).",
    }),
    sourceIdentity: t.exposeString('importSource', {
      nullable: true,
      description:
        'How a VM remembers its source so that it is not imported twice (its UUID, VMware BIOS UUID or a SHA-256 of its virtual system); null for clones and templates.',
    }),
    disks: t.field({ type: [PreviewDisk], resolve: (p) => p.disks }),
    nics: t.field({ type: [PreviewNic], resolve: (p) => p.nics }),
  }),
});
const PreviewRef = builder
  .objectRef<{ plan: ImportPlan | null; reasons: { code: string; message: string }[] }>('OvfImportPreview')
  .implement({
    description: 'What importVm would do with the same input; nothing is changed.',
    fields: (t) => ({
      allowed: t.boolean({ resolve: (p) => p.reasons.length === 0 }),
      reasons: t.field({ type: [ReasonRef], resolve: (p) => p.reasons }),
      warnings: t.field({ type: [WarningRef], resolve: (p) => p.plan?.warnings ?? [] }),
      vm: t.field({ type: PreviewVm, nullable: true, description: 'Null when the descriptor cannot be read.', resolve: (p) => p.plan }),
    }),
  });

/**
 * The mutation `name` running `action`, its `can…` dry run and the `preview` query, all on the
 * same input (descriptor text or an upload, prepared by ovfPackage.ts).
 */
function importFields(
  name: string,
  preview: string,
  o: {
    action: ImportAction;
    kind: ImportKind;
    input: typeof ImportInput;
    result: typeof ImportResultRef | typeof ImportTemplateResultRef;
    dataField: string;
    description: string;
    previewDescription: string;
    convert: boolean;
  },
) {
  builder.mutationField(name, (t) =>
    t.field({
      // One of the two result refs; Pothos needs one static type here.
      type: o.result as typeof ImportResultRef,
      description: o.description,
      args: { input: t.arg({ type: o.input, required: true }) },
      errors: { dataField: { name: o.dataField } },
      resolve: async (_root, { input }, ctx) => {
        let prepared: PreparedImport;
        try {
          prepared = await importParams(ctx.engine, o.action, input as ImportInputShape);
        } catch (e) {
          // A refused package never reaches runAction; its refusal is logged here the same way.
          if (e instanceof ValidationError) await recordFailure(ctx.engine, ctx.actor, o.action, e);
          throw e;
        }
        try {
          if (o.convert) await convertIfAllowed(ctx.engine, ctx.actor, o.action, prepared);
          return (await runAction(ctx.engine, ctx.actor, o.action, prepared.params)) as never;
        } finally {
          await prepared.cleanup();
        }
      },
    }),
  );
  const refusals = (e: unknown) => {
    if (e instanceof ValidationError) return e.reasons;
    if (e instanceof VireoError) return [{ code: e.code, message: e.message }];
    throw e;
  };
  builder.queryFields((t) => ({
    [`can${name[0]!.toUpperCase()}${name.slice(1)}`]: t.field({
      type: ActionCheckRef,
      description: `Dry run of ${name}: every check it makes, nothing changed.`,
      args: { input: t.arg({ type: o.input, required: true }) },
      resolve: async (_root, { input }, ctx) => {
        try {
          return await withImport(ctx.engine, o.action, input as ImportInputShape, (prepared) =>
            canRunAction(ctx.engine, ctx.actor, o.action, prepared.params),
          );
        } catch (e) {
          return refusals(e);
        }
      },
    }),
    [preview]: t.field({
      type: PreviewRef,
      description: o.previewDescription,
      args: { input: t.arg({ type: o.input, required: true }) },
      resolve: async (_root, { input }, ctx) => {
        try {
          return await withImport(ctx.engine, o.action, input as ImportInputShape, (prepared) =>
            previewImport(ctx.engine, ctx.actor, o.action, o.kind, prepared.params),
          );
        } catch (e) {
          return { plan: null, reasons: refusals(e) };
        }
      },
    }),
  }));
}

importFields('importVm', 'ovfImportPreview', {
  action: importVm as ImportAction,
  kind: 'vm',
  input: ImportInput,
  result: ImportResultRef,
  dataField: 'imported',
  convert: true,
  description:
    'Import a VM from an OVF descriptor or an OVA (oVirt, VMware, VirtualBox): a Down VM with its NICs and disks. Dry run: canImportVm; details: ovfImportPreview.',
  previewDescription:
    'The VM importVm would create from this input (name, OS, CPU, memory, console, disks with sizes and target domains, NICs with target networks), every warning, and the refusals, if any.',
});
importFields('importTemplate', 'ovfTemplateImportPreview', {
  action: importTemplate as ImportAction,
  kind: 'template',
  input: ImportTemplateInput,
  result: ImportTemplateResultRef,
  dataField: 'imported',
  convert: false,
  description:
    "Import a template from an oVirt template's OVF descriptor or OVA (its TemplateId is its own id): a template with its NICs and disks (metadata only, as Vireo's templates are). Dry run: canImportTemplate; details: ovfTemplateImportPreview.",
  previewDescription: 'The template importTemplate would create from this input, every warning, and the refusals, if any.',
});

builder.queryFields((t) => ({
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
