import { builder } from '../schema/builder.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { VmRef } from '../schema/types/vm.ts';
import { addTemplate, addVmFromTemplate, removeTemplate } from '../server/actions/template/templateActions.ts';

builder.queryField('templates', (t) =>
  t.prismaField({
    type: ['Template'],
    description: 'Templates, by name and version.',
    resolve: async (query, _root, _args, ctx) => {
      const v = await ctx.visibility();
      return ctx.db.template.findMany({ ...query, where: v.all ? undefined : { OR: [{ id: { in: v.templateIds } }, { clusterId: { in: v.clusterIds } }] }, orderBy: [{ name: 'asc' }, { version: 'asc' }] });
    },
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
