// oVirt's AddVmTemplate: a template's disks are full, collapsed copies of the VM's disk chains.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { description, nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import { account, collapsedSize, disksUsable, needsByDomain, ownChain, roomFor } from '../disk/volumes.ts';
import { recordJob } from '../disk/recordJob.ts';
import { notInPreview, previewOf, snapshotDisks } from '../snapshot/snapshotTree.ts';
import { domainsInDataCenter } from './templateDomains.ts';

/** The VM's disks as the template will hold them: where each copy goes and what it takes. */
async function templateCopies(tx: Tx, vmId: string, targetId: string | undefined) {
  const copies = [];
  for (const disk of await snapshotDisks(tx, vmId)) {
    const chain = await ownChain(tx, disk);
    const below = chain[chain.length - 1]!.parentId;
    const templateBytes = below ? (await tx.disk.findUniqueOrThrow({ where: { id: below } })).actualSizeBytes : 0n;
    copies.push({
      disk,
      chain,
      storageDomainId: targetId ?? disk.storageDomainId,
      bytes: collapsedSize(chain, templateBytes),
      sparse: chain[chain.length - 1]!.sparse,
    });
  }
  return copies;
}

export const addTemplate = defineAction({
  type: 'AddVmTemplate',
  title: 'create Template',
  actionGroup: 'CREATE_TEMPLATE',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({
    vmId: nodeId('Vm', 'vm').describe('A Down VM; its disks are copied, collapsed, into the template.'),
    name: objectName,
    description: description.optional(),
    storageDomainId: nodeId('StorageDomain', 'storageDomain')
      .optional()
      .describe("Where the template's disks go (default: beside the VM's disks)."),
  }),
  locks: (p) => [lockKey('Vm', p.vmId), lockKey('TemplateName', p.name)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = found(await tx.vm.findUnique({ where: { id: p.vmId }, include: { cluster: true } }), 'VM', p.vmId);
    const copies = await templateCopies(tx, vm.id, p.storageDomainId);
    const taken = await tx.template.count({ where: { name: p.name } });
    return [
      vmIsDown(vm),
      notInPreview(await previewOf(tx, vm.id), vm.name),
      nameFree(taken > 0, 'Template', p.name),
      disksUsable(copies.flatMap((c) => c.chain)),
      ...(await domainsInDataCenter(tx, [...new Set(copies.map((c) => c.storageDomainId))], vm.cluster.dataCenterId)),
      ...(await roomFor(tx, needsByDomain(copies.map((c) => ({ storageDomainId: c.storageDomainId, bytes: c.bytes }))))),
    ];
  },
  async execute({ tx, actor, publish }, p) {
    const vm = await tx.vm.findUniqueOrThrow({ where: { id: p.vmId }, include: { cluster: true } });
    const template = await tx.template.create({
      data: {
        name: p.name,
        description: p.description ?? vm.description,
        clusterId: vm.clusterId,
        status: 'LOCKED',
        osType: vm.osType,
        cpuSockets: vm.cpuSockets,
        cpuCores: vm.cpuCores,
        cpuThreads: vm.cpuThreads,
        memoryMb: vm.memoryMb,
        guaranteedMemoryMb: vm.guaranteedMemoryMb,
        highlyAvailable: vm.highlyAvailable,
        stateless: vm.stateless,
        displayType: vm.displayType,
      },
    });
    const nics = await tx.vmNic.findMany({ where: { vmId: vm.id }, orderBy: { name: 'asc' } });
    if (nics.length)
      await tx.templateNic.createMany({
        data: nics.map((n) => ({ templateId: template.id, name: n.name, networkId: n.networkId, interface: n.interface })),
      });
    const steps: string[] = [];
    for (const c of await templateCopies(tx, vm.id, p.storageDomainId)) {
      await tx.disk.create({
        data: {
          alias: c.disk.alias,
          description: c.disk.description,
          templateId: template.id,
          storageDomainId: c.storageDomainId,
          format: c.sparse ? 'COW' : 'RAW',
          sparse: c.sparse,
          provisionedSizeBytes: c.disk.provisionedSizeBytes,
          actualSizeBytes: c.bytes,
        },
      });
      await account(tx, c.storageDomainId, c.bytes);
      steps.push(`Copying disk ${c.disk.alias} into the template`);
    }
    const done = await tx.template.update({ where: { id: template.id }, data: { status: 'OK' } });
    const job = await recordJob(tx, actor.userName, 'AddVmTemplate', `Creating Template ${p.name} from VM ${vm.name}`, steps);
    publish('job:progress', { id: job, progress: 100 });
    return { template: done, vm };
  },
  audit: ({ template, vm }) => ({
    code: 'USER_ADD_VM_TEMPLATE',
    vars: { vmTemplateName: template.name, vmName: vm.name },
    objects: { templateId: template.id, vmId: vm.id, clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId },
  }),
  api: {
    mutation: 'addTemplate',
    description: 'Make a template from a Down VM.',
    payload: { field: 'template', type: 'Template' },
    result: (r) => r.template,
  },
});
