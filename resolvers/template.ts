import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { VmRef } from '../schema/types/vm.ts';
import { ImageStatus, SortDirection } from '../schema/types/enums.ts';
import { searchText } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import type { Context } from '../schema/context.ts';
import { visible } from '../server/auth/permissions.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { addTemplate, addVmFromTemplate, removeTemplate } from '../server/actions/template/templateActions.ts';

const Filter = builder.inputType('TemplateFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    cluster: t.id({ required: false }),
    status: t.field({ type: [ImageStatus], required: false }),
  }),
});
const SortField = builder.enumType('TemplateSortField', {
  values: { NAME: { value: 'name' }, MEMORY: { value: 'memoryMb' }, CREATED_AT: { value: 'createdAt' } } as const,
});

async function where(ctx: Context, f: typeof Filter.$inferInput | null | undefined): Promise<Prisma.TemplateWhereInput> {
  const v = await ctx.visibility();
  const filter: Prisma.TemplateWhereInput = {
    name: contains(f?.nameContains),
    clusterId: optionalLocalId(f?.cluster as string, 'Cluster', 'filter.cluster'),
    status: f?.status ? { in: f.status } : undefined,
  };
  return and(filter, visible.template(v));
}

builder.queryField('templates', (t) =>
  t.prismaConnection({
    type: 'Template',
    cursor: 'id',
    description: 'Templates, by name (then version) unless sorted otherwise.',
    args: { filter: t.arg({ type: Filter, required: false }), sortBy: t.arg({ type: SortField, required: false }), direction: t.arg({ type: SortDirection, required: false }) },
    resolve: async (query, _root, args, ctx) => {
      const dir: Prisma.SortOrder = args.direction === 'DESC' ? 'desc' : 'asc';
      const order: Prisma.TemplateOrderByWithRelationInput[] = args.sortBy ? orderBy(args.sortBy, args.direction, 'name') : [{ name: dir }, { version: dir }, { id: dir }];
      return ctx.db.template.findMany({ ...query, where: await where(ctx, args.filter), orderBy: order });
    },
    totalCount: async (_c, args, ctx) => ctx.db.template.count({ where: await where(ctx, args.filter) }),
  }),
);

const AddInput = builder.inputType('AddTemplateInput', {
  fields: (t) => ({
    vm: t.id({ required: true, description: 'A Down VM; its disks are copied, collapsed, into the template.' }),
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    storageDomain: t.id({ required: false, description: "Where the template's disks go (default: beside the VM's disks)." }),
  }),
});
const FromTemplateInput = builder.inputType('AddVmFromTemplateInput', {
  fields: (t) => ({
    template: t.id({ required: true }),
    cluster: t.id({ required: true }),
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    clone: t.boolean({ required: false, description: 'Full independent copies of the disks (default: thin, copy-on-write over the template).' }),
    storageDomain: t.id({ required: false, description: "Where a clone's disks go (default: beside the template's disks)." }),
  }),
});
const RemoveInput = builder.inputType('RemoveTemplateInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addTemplate', {
  action: addTemplate, description: 'Make a template from a Down VM.', input: AddInput, type: 'Template', dataField: 'template',
  params: ({ vm, storageDomain, ...rest }) => ({ ...stripNulls(rest), vmId: localId(String(vm), 'Vm', 'vm'), storageDomainId: optionalLocalId(storageDomain as string, 'StorageDomain', 'storageDomain') }),
  resolve: (r) => r.template,
});
actionField('addVmFromTemplate', {
  action: addVmFromTemplate, description: 'Create a VM from a template, thin (linked) or as a clone.', input: FromTemplateInput, type: VmRef, dataField: 'vm',
  params: ({ template, cluster, storageDomain, ...rest }) => ({
    ...stripNulls(rest), templateId: localId(String(template), 'Template', 'template'), clusterId: localId(String(cluster), 'Cluster', 'cluster'),
    storageDomainId: optionalLocalId(storageDomain as string, 'StorageDomain', 'storageDomain') }),
  resolve: (r) => r.vm,
});
actionField('removeTemplate', {
  action: removeTemplate, description: 'Remove a template no VM uses, with its disks.', input: RemoveInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ templateId: localId(String(id), 'Template', 'id') }),
  resolve: (t) => removed('Template', t.id),
});
