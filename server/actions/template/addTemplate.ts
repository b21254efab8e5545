// oVirt's AddVmTemplate: a template's disks are full, collapsed copies of the VM's disk chains,
// made as real base images by the data center's SPM (qemu-img convert) while the Job runs.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { description, nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import { account, collapsedSize, disksUsable, needsByDomain, ownChain, roomFor } from '../disk/volumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { copyVolumes } from '../../storage/copyVolumes.ts';
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
      copies.length ? await storageHostAvailable(tx, vm.cluster.dataCenterId) : null,
    ];
  },
  async job(tx, p) {
    const vm = await tx.vm.findUniqueOrThrow({ where: { id: p.vmId }, select: { id: true, name: true } });
    return { description: `Creating Template ${p.name} from VM ${vm.name}`, vmId: vm.id };
  },
  /** The SPM copies each disk's chain, collapsed, into a new base image; the new disks' ids and measured sizes by source disk. */
  async onHost({ engine, compensate, jobId }, p) {
    const vm = await engine.db.vm.findUniqueOrThrow({ where: { id: p.vmId }, select: { cluster: { select: { dataCenterId: true } } } });
    const copies = await templateCopies(engine.db, p.vmId, p.storageDomainId);
    const domains = await engine.db.storageDomain.findMany({
      where: { id: { in: copies.flatMap((c) => [c.storageDomainId, c.disk.storageDomainId]) } },
      select: { id: true, path: true, reachedByHosts: true },
    });
    const domain = (id: string) => domains.find((d) => d.id === id)!;
    const ids = new Map(copies.map((c) => [c.disk.id, randomUUID()]));
    const sizes = await copyVolumes(
      engine,
      { dataCenterId: vm.cluster.dataCenterId, title: 'create Template', jobId },
      copies.map((c) => ({
        source: { domain: domain(c.disk.storageDomainId), disk: c.disk, format: c.disk.format },
        target: { domain: domain(c.storageDomainId), diskId: ids.get(c.disk.id)!, format: c.sparse ? 'COW' : 'RAW' },
      })),
      compensate,
    );
    // A label domain's files are the simulation's, not what the domain would hold: its size stays estimated.
    const measured = (c: (typeof copies)[number], i: number) => (domain(c.storageDomainId).reachedByHosts ? sizes[i]! : 0n);
    return new Map(copies.map((c, i) => [c.disk.id, { id: ids.get(c.disk.id)!, bytes: measured(c, i) }]));
  },
  async execute({ tx, publish }, p, _marked, made) {
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
    for (const c of await templateCopies(tx, vm.id, p.storageDomainId)) {
      const copy = made.get(c.disk.id);
      if (!copy) throw new Error(`disk ${c.disk.alias} of VM ${vm.name} was not copied`);
      // What the base image takes on the domain, as the SPM measured it (else the estimate).
      const bytes = copy.bytes > 0n ? copy.bytes : c.bytes;
      await tx.disk.create({
        data: {
          id: copy.id,
          alias: c.disk.alias,
          description: c.disk.description,
          templateId: template.id,
          storageDomainId: c.storageDomainId,
          format: c.sparse ? 'COW' : 'RAW',
          sparse: c.sparse,
          provisionedSizeBytes: c.disk.provisionedSizeBytes,
          actualSizeBytes: bytes,
        },
      });
      await account(tx, c.storageDomainId, bytes);
      publish('storageDomain:changed', { id: c.storageDomainId, kind: 'updated' });
    }
    const done = await tx.template.update({ where: { id: template.id }, data: { status: 'OK' } });
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
