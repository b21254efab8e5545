// AddVm from a template: thin (one COW overlay per disk whose parent is the template's disk, on the
// template disk's domain: a qcow2 on the template disk's base image) or as a clone (full
// independent copies of the base images, on a chosen domain). The SPM makes the volumes first.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { description, nodeId } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { vmName } from '../../validators/vmValidator.ts';
import { account, disksUsable, initialThin, needsByDomain, roomFor } from '../disk/volumes.ts';
import { createVolumes } from '../../storage/hostVolumes.ts';
import { copyVolumes } from '../../storage/copyVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { nicNetworksInCluster } from '../vm/addVm.ts';
import { allocateMacs } from '../vm/macPool.ts';
import { makeCreatorOwner } from '../vm/creatorOwner.ts';
import { domainsInDataCenter } from './templateDomains.ts';

export const addVmFromTemplate = defineAction({
  type: 'AddVmFromTemplate',
  title: 'add VM from Template',
  actionGroup: 'CREATE_VM',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({
    templateId: nodeId('Template', 'template'),
    clusterId: nodeId('Cluster', 'cluster'),
    name: vmName,
    description: description.optional(),
    clone: z.boolean().default(false).describe('Full independent copies of the disks (default: thin, copy-on-write over the template).'),
    storageDomainId: nodeId('StorageDomain', 'storageDomain')
      .optional()
      .describe("Where a clone's disks go (default: beside the template's disks)."),
  }),
  locks: (p) => [
    lockKey('VmName', p.name),
    lockKey('Template', p.templateId),
    ...(p.storageDomainId ? [lockKey('StorageDomain', p.storageDomainId)] : []),
  ],
  objects: (p) => ({ clusterId: p.clusterId, templateId: p.templateId }),
  async validate({ tx }, p) {
    const template = found(
      await tx.template.findUnique({ where: { id: p.templateId }, include: { disks: true, cluster: true, nics: true } }),
      'Template',
      p.templateId,
    );
    const cluster = found(
      await tx.cluster.findUnique({ where: { id: p.clusterId }, include: { dataCenter: true } }),
      'Cluster',
      p.clusterId,
    );
    const taken = await tx.vm.count({ where: { name: p.name, cluster: { dataCenterId: cluster.dataCenterId } } });
    const target = (d: { storageDomainId: string }) => (p.clone ? (p.storageDomainId ?? d.storageDomainId) : d.storageDomainId);
    const needs = needsByDomain(
      template.disks.map((d) => ({ storageDomainId: target(d), bytes: p.clone ? d.actualSizeBytes : initialThin(d.provisionedSizeBytes) })),
    );
    return [
      refuseWhen(template.status !== 'OK', 'TEMPLATE_IS_LOCKED', `Template ${template.name} is ${template.status}.`),
      refuseWhen(
        !p.clone && p.storageDomainId !== undefined,
        'THIN_VM_DISKS_FOLLOW_TEMPLATE',
        "A thin VM's disks live on the template disks' storage domains; choose a domain only for a clone.",
      ),
      refuseWhen(
        template.cluster !== null && template.cluster.dataCenterId !== cluster.dataCenterId,
        'TEMPLATE_NOT_IN_DATA_CENTER',
        `Template ${template.name} belongs to another data center.`,
      ),
      nameFree(taken > 0, 'VM', p.name, `Data Center ${cluster.dataCenter.name}`),
      disksUsable(template.disks),
      ...(await nicNetworksInCluster(tx, p.clusterId, template.nics)),
      ...(await domainsInDataCenter(tx, [...needs.keys()], cluster.dataCenterId)),
      ...(await roomFor(tx, needs)),
      template.disks.length ? await storageHostAvailable(tx, cluster.dataCenterId) : null,
    ];
  },
  async job(tx, p) {
    const template = await tx.template.findUniqueOrThrow({ where: { id: p.templateId }, select: { name: true } });
    return { description: `${p.clone ? 'Cloning' : 'Creating'} VM ${p.name} from Template ${template.name}` };
  },
  /**
   * The new disks' volumes, made by the SPM before the rows (removed again if the action fails
   * later); their ids by template disk, with what each clone takes as the SPM measured it.
   */
  async onHost({ engine, compensate, jobId }, p) {
    const template = await engine.db.template.findUniqueOrThrow({
      where: { id: p.templateId },
      include: { disks: { include: { storageDomain: true } } },
    });
    const cluster = await engine.db.cluster.findUniqueOrThrow({ where: { id: p.clusterId }, select: { dataCenterId: true } });
    const ids = new Map(template.disks.map((d) => [d.id, randomUUID()]));
    const where = { dataCenterId: cluster.dataCenterId, title: 'add VM from Template' };
    if (!p.clone) {
      await createVolumes(
        engine,
        where,
        template.disks.map((t) => ({
          domain: t.storageDomain,
          diskId: ids.get(t.id)!,
          format: 'COW' as const,
          sizeBytes: t.provisionedSizeBytes,
          backing: { domain: t.storageDomain, diskId: t.id, format: t.format },
        })),
        compensate,
      );
      return new Map(template.disks.map((t) => [t.id, { id: ids.get(t.id)!, bytes: 0n }]));
    }
    const target = p.storageDomainId
      ? await engine.db.storageDomain.findUniqueOrThrow({
          where: { id: p.storageDomainId },
          select: { id: true, path: true, reachedByHosts: true },
        })
      : null;
    const sizes = await copyVolumes(
      engine,
      { ...where, jobId },
      template.disks.map((t) => ({
        source: { domain: t.storageDomain, disk: t, format: t.format },
        target: { domain: target ?? t.storageDomain, diskId: ids.get(t.id)!, format: t.format },
      })),
      compensate,
    );
    // A label domain's files are the simulation's, not what the domain would hold: its size stays estimated.
    const measured = (t: (typeof template.disks)[number], i: number) => ((target ?? t.storageDomain).reachedByHosts ? sizes[i]! : 0n);
    return new Map(template.disks.map((t, i) => [t.id, { id: ids.get(t.id)!, bytes: measured(t, i) }]));
  },
  async execute({ tx, actor, publish }, p, _marked, made) {
    const template = await tx.template.findUniqueOrThrow({
      where: { id: p.templateId },
      include: { disks: { orderBy: { alias: 'asc' } }, nics: { orderBy: { name: 'asc' } } },
    });
    const vm = await tx.vm.create({
      data: {
        name: p.name,
        description: p.description ?? template.description,
        clusterId: p.clusterId,
        templateId: template.id,
        osType: template.osType,
        cpuSockets: template.cpuSockets,
        cpuCores: template.cpuCores,
        cpuThreads: template.cpuThreads,
        memoryMb: template.memoryMb,
        guaranteedMemoryMb: template.guaranteedMemoryMb,
        highlyAvailable: template.highlyAvailable,
        stateless: template.stateless,
        displayType: template.displayType,
      },
    });
    const macs = await allocateMacs(tx, template.nics.length);
    if (template.nics.length)
      await tx.vmNic.createMany({
        data: template.nics.map((n, i) => ({
          vmId: vm.id,
          name: n.name,
          networkId: n.networkId,
          interface: n.interface,
          macAddress: macs[i]!,
        })),
      });
    for (const [i, t] of template.disks.entries()) {
      const volume = made.get(t.id);
      if (!volume) throw new Error(`template disk ${t.alias} has no volume made for it`);
      const data = p.clone
        ? {
            storageDomainId: p.storageDomainId ?? t.storageDomainId,
            format: t.format,
            sparse: t.sparse,
            actualSizeBytes: volume.bytes > 0n ? volume.bytes : t.actualSizeBytes,
            parentId: null,
          }
        : {
            storageDomainId: t.storageDomainId,
            format: 'COW' as const,
            sparse: true,
            actualSizeBytes: initialThin(t.provisionedSizeBytes),
            parentId: t.id,
          };
      const disk = await tx.disk.create({
        data: {
          ...data,
          id: volume.id,
          alias: `${vm.name}_Disk${i + 1}`,
          description: t.description,
          provisionedSizeBytes: t.provisionedSizeBytes,
        },
      });
      // Templates keep no attachment details; the first disk is the one the VM boots from.
      await tx.diskAttachment.create({ data: { vmId: vm.id, diskId: disk.id, bootable: i === 0 } });
      await account(tx, disk.storageDomainId, disk.actualSizeBytes);
    }
    await makeCreatorOwner(tx, actor, publish, vm.id);
    publish('vm:changed', { id: vm.id, kind: 'created' });
    const created = await tx.vm.findUniqueOrThrow({ where: { id: vm.id }, include: { cluster: true } });
    return { vm: created, template };
  },
  audit: ({ vm, template }, p) => ({
    code: 'USER_ADD_VM_FROM_TEMPLATE',
    vars: { vmName: vm.name, vmTemplateName: template.name, provisioning: p.clone ? 'a clone' : 'thin' },
    objects: { vmId: vm.id, templateId: template.id, clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId },
  }),
  api: {
    mutation: 'addVmFromTemplate',
    description: 'Create a VM from a template, thin (linked) or as a clone.',
    payload: { field: 'vm', type: 'Vm' },
    result: (r) => r.vm,
  },
});
