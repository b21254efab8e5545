// Templates (oVirt's AddVmTemplate, AddVm from a template, RemoveVmTemplate). A template's disks
// are full, collapsed copies of the VM's disk chains. A VM is made from it either thin (one COW
// overlay per disk whose parent is the template's disk, on the template disk's domain) or as a
// clone (full independent copies, on a chosen domain).
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { description, id, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { vmIsDown, vmName } from '../../validators/vmValidator.ts';
import type { Reason } from '../../errors.ts';
import { account, collapsedSize, deleteVolumes, disksUsable, initialThin, needsByDomain, ownChain, roomFor } from '../disk/volumes.ts';
import { recordJob } from '../disk/recordJob.ts';
import { notInPreview, previewOf, snapshotDisks } from '../snapshot/snapshotTree.ts';
import { nicNetworksInCluster } from '../vm/addVm.ts';
import { allocateMacs } from '../vm/macPool.ts';

/** The VM's disks as the template will hold them: where each copy goes and what it takes. */
async function templateCopies(tx: Tx, vmId: string, targetId: string | undefined) {
  const copies = [];
  for (const disk of await snapshotDisks(tx, vmId)) {
    const chain = await ownChain(tx, disk);
    const below = chain[chain.length - 1]!.parentId;
    const templateBytes = below ? (await tx.disk.findUniqueOrThrow({ where: { id: below } })).actualSizeBytes : 0n;
    copies.push({ disk, chain, storageDomainId: targetId ?? disk.storageDomainId, bytes: collapsedSize(chain, templateBytes), sparse: chain[chain.length - 1]!.sparse });
  }
  return copies;
}

/** Target domains are active data domains of the data center. */
async function domainsInDataCenter(tx: Tx, ids: string[], dataCenterId: string): Promise<(Reason | null)[]> {
  const domains = await tx.storageDomain.findMany({ where: { id: { in: ids } } });
  return ids.map((sdId) => {
    const sd = domains.find((d) => d.id === sdId);
    return refuseWhen(!sd, 'STORAGE_DOMAIN_NOT_FOUND', `Storage Domain ${sdId} does not exist.`)
      ?? refuseWhen(sd!.dataCenterId !== dataCenterId || sd!.domainType !== 'DATA', 'STORAGE_DOMAIN_NOT_USABLE', `Storage Domain ${sd!.name} is not a data domain of the data center.`);
  });
}

export const addTemplate = defineAction({
  type: 'AddVmTemplate',
  title: 'create Template',
  actionGroup: 'CREATE_TEMPLATE',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({ vmId: id, name: objectName, description: description.optional(), storageDomainId: id.optional() }),
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
    const template = await tx.template.create({ data: {
      name: p.name, description: p.description ?? vm.description, clusterId: vm.clusterId, status: 'LOCKED', osType: vm.osType,
      cpuSockets: vm.cpuSockets, cpuCores: vm.cpuCores, cpuThreads: vm.cpuThreads, memoryMb: vm.memoryMb, guaranteedMemoryMb: vm.guaranteedMemoryMb,
      highlyAvailable: vm.highlyAvailable, stateless: vm.stateless, displayType: vm.displayType } });
    const nics = await tx.vmNic.findMany({ where: { vmId: vm.id }, orderBy: { name: 'asc' } });
    if (nics.length) await tx.templateNic.createMany({ data: nics.map((n) => ({ templateId: template.id, name: n.name, networkId: n.networkId, interface: n.interface })) });
    const steps: string[] = [];
    for (const c of await templateCopies(tx, vm.id, p.storageDomainId)) {
      await tx.disk.create({ data: {
        alias: c.disk.alias, description: c.disk.description, templateId: template.id, storageDomainId: c.storageDomainId,
        format: c.sparse ? 'COW' : 'RAW', sparse: c.sparse, provisionedSizeBytes: c.disk.provisionedSizeBytes, actualSizeBytes: c.bytes } });
      await account(tx, c.storageDomainId, c.bytes);
      steps.push(`Copying disk ${c.disk.alias} into the template`);
    }
    const done = await tx.template.update({ where: { id: template.id }, data: { status: 'OK' } });
    const job = await recordJob(tx, actor.userName, 'AddVmTemplate', `Creating Template ${p.name} from VM ${vm.name}`, steps);
    publish('job:progress', { id: job, progress: 100 });
    return { template: done, vm };
  },
  audit: ({ template, vm }) => ({ code: 'USER_ADD_VM_TEMPLATE', vars: { vmTemplateName: template.name, vmName: vm.name },
    objects: { templateId: template.id, vmId: vm.id, clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId } }),
});

export const addVmFromTemplate = defineAction({
  type: 'AddVmFromTemplate',
  title: 'add VM from Template',
  actionGroup: 'CREATE_VM',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({
    templateId: id, clusterId: id, name: vmName, description: description.optional(),
    /** Independent full copies of the template's disks instead of thin overlays. */
    clone: z.boolean().default(false),
    /** Where a clone's disks go (default: beside the template's disks). */
    storageDomainId: id.optional(),
  }),
  locks: (p) => [lockKey('VmName', p.name), lockKey('Template', p.templateId), ...(p.storageDomainId ? [lockKey('StorageDomain', p.storageDomainId)] : [])],
  objects: (p) => ({ clusterId: p.clusterId, templateId: p.templateId }),
  async validate({ tx }, p) {
    const template = found(await tx.template.findUnique({ where: { id: p.templateId }, include: { disks: true, cluster: true, nics: true } }), 'Template', p.templateId);
    const cluster = found(await tx.cluster.findUnique({ where: { id: p.clusterId }, include: { dataCenter: true } }), 'Cluster', p.clusterId);
    const taken = await tx.vm.count({ where: { name: p.name, cluster: { dataCenterId: cluster.dataCenterId } } });
    const target = (d: { storageDomainId: string }) => (p.clone ? p.storageDomainId ?? d.storageDomainId : d.storageDomainId);
    const needs = needsByDomain(template.disks.map((d) => ({ storageDomainId: target(d), bytes: p.clone ? d.actualSizeBytes : initialThin(d.provisionedSizeBytes) })));
    return [
      refuseWhen(template.status !== 'OK', 'TEMPLATE_IS_LOCKED', `Template ${template.name} is ${template.status}.`),
      refuseWhen(!p.clone && p.storageDomainId !== undefined, 'THIN_VM_DISKS_FOLLOW_TEMPLATE', 'A thin VM\'s disks live on the template disks\' storage domains; choose a domain only for a clone.'),
      refuseWhen(template.cluster !== null && template.cluster.dataCenterId !== cluster.dataCenterId, 'TEMPLATE_NOT_IN_DATA_CENTER',
        `Template ${template.name} belongs to another data center.`),
      nameFree(taken > 0, 'VM', p.name, `Data Center ${cluster.dataCenter.name}`),
      disksUsable(template.disks),
      ...(await nicNetworksInCluster(tx, p.clusterId, template.nics)),
      ...(await domainsInDataCenter(tx, [...needs.keys()], cluster.dataCenterId)),
      ...(await roomFor(tx, needs)),
    ];
  },
  async execute({ tx, actor, publish }, p) {
    const template = await tx.template.findUniqueOrThrow({ where: { id: p.templateId }, include: { disks: { orderBy: { alias: 'asc' } }, nics: { orderBy: { name: 'asc' } } } });
    const vm = await tx.vm.create({ data: {
      name: p.name, description: p.description ?? template.description, clusterId: p.clusterId, templateId: template.id, osType: template.osType,
      cpuSockets: template.cpuSockets, cpuCores: template.cpuCores, cpuThreads: template.cpuThreads,
      memoryMb: template.memoryMb, guaranteedMemoryMb: template.guaranteedMemoryMb, highlyAvailable: template.highlyAvailable,
      stateless: template.stateless, displayType: template.displayType } });
    const macs = await allocateMacs(tx, template.nics.length);
    if (template.nics.length)
      await tx.vmNic.createMany({ data: template.nics.map((n, i) => ({ vmId: vm.id, name: n.name, networkId: n.networkId, interface: n.interface, macAddress: macs[i]! })) });
    const steps: string[] = [];
    for (const [i, t] of template.disks.entries()) {
      const data = p.clone
        ? { storageDomainId: p.storageDomainId ?? t.storageDomainId, format: t.format, sparse: t.sparse, actualSizeBytes: t.actualSizeBytes, parentId: null }
        : { storageDomainId: t.storageDomainId, format: 'COW' as const, sparse: true, actualSizeBytes: initialThin(t.provisionedSizeBytes), parentId: t.id };
      const disk = await tx.disk.create({ data: { ...data, alias: `${vm.name}_Disk${i + 1}`, description: t.description, provisionedSizeBytes: t.provisionedSizeBytes } });
      // Templates keep no attachment details; the first disk is the one the VM boots from.
      await tx.diskAttachment.create({ data: { vmId: vm.id, diskId: disk.id, bootable: i === 0 } });
      await account(tx, disk.storageDomainId, disk.actualSizeBytes);
      steps.push(p.clone ? `Copying template disk ${t.alias}` : `Creating a thin volume over template disk ${t.alias}`);
    }
    if (p.clone) {
      const job = await recordJob(tx, actor.userName, 'AddVmFromTemplate', `Cloning VM ${vm.name} from Template ${template.name}`, steps);
      publish('job:progress', { id: job, progress: 100 });
    }
    publish('vm:changed', { id: vm.id, kind: 'created' });
    const created = await tx.vm.findUniqueOrThrow({ where: { id: vm.id }, include: { cluster: true } });
    return { vm: created, template };
  },
  audit: ({ vm, template }, p) => ({ code: 'USER_ADD_VM_FROM_TEMPLATE', vars: { vmName: vm.name, vmTemplateName: template.name, provisioning: p.clone ? 'a clone' : 'thin' },
    objects: { vmId: vm.id, templateId: template.id, clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId } }),
});

export const removeTemplate = defineAction({
  type: 'RemoveVmTemplate',
  title: 'remove Template',
  actionGroup: 'DELETE_TEMPLATE',
  subject: (p) => ({ type: 'TEMPLATE', id: p.templateId }),
  params: z.object({ templateId: id }),
  locks: (p) => [lockKey('Template', p.templateId)],
  objects: (p) => ({ templateId: p.templateId }),
  async validate({ tx }, p) {
    const template = found(await tx.template.findUnique({ where: { id: p.templateId }, include: { vms: { select: { name: true } }, disks: true } }), 'Template', p.templateId);
    const overlays = await tx.disk.count({ where: { parentId: { in: template.disks.map((d) => d.id) } } });
    return [
      refuseWhen(template.vms.length === 0 && overlays > 0, 'TEMPLATE_DISKS_IN_USE', `Template ${template.name} has ${overlays} thin volume(s) over its disks.`),
      refuseWhen(template.vms.length > 0, 'TEMPLATE_IN_USE', `Template ${template.name} is used by VM(s) ${template.vms.map((v) => v.name).join(', ')}.`),
      disksUsable(template.disks),
    ];
  },
  async execute({ tx }, p) {
    const template = await tx.template.findUniqueOrThrow({ where: { id: p.templateId }, include: { disks: true, cluster: true } });
    await deleteVolumes(tx, template.disks);
    await tx.template.delete({ where: { id: template.id } });
    return template;
  },
  audit: (t) => ({ code: 'USER_REMOVE_VM_TEMPLATE', vars: { vmTemplateName: t.name }, objects: { clusterId: t.clusterId, dataCenterId: t.cluster?.dataCenterId ?? null } }),
});
