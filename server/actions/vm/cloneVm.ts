// oVirt's CloneVm: a new Down VM with the definition of a Down VM, NICs with MACs of their own, and
// a full copy of each of its disks (snapshots and a template's base image collapsed; the SPM copies
// them beside the originals). Whoever may use the VM and create VMs in its cluster may clone it.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { description, nodeId } from '../../validators/params.ts';
import { nameFree, refuseWhen } from '../../validators/reasons.ts';
import { vmIsDown, vmName } from '../../validators/vmValidator.ts';
import { can } from '../../auth/permissions.ts';
import { copyVolumes } from '../../storage/copyVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import type { Tx } from '../../db.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { account, disksUsable, needsByDomain, roomFor } from '../disk/volumes.ts';
import { copyOf } from '../disk/copyDisk.ts';
import { loadVm } from './lifecycle/loadVm.ts';
import { notExternal } from './lifecycle/vmStatusChecks.ts';
import { allocateMacs } from './macPool.ts';
import { makeCreatorOwner } from './creatorOwner.ts';

/** The source's disks that are its own (a shareable disk stays shared, not copied), boot disk first. */
async function ownDisks(tx: Tx, vmId: string) {
  const attachments = await tx.diskAttachment.findMany({
    where: { vmId, disk: { shareable: false } },
    orderBy: [{ bootable: 'desc' }, { diskId: 'asc' }],
  });
  return Promise.all(attachments.map(async (a) => ({ attachment: a, ...(await copyOf(tx, a.diskId)) })));
}

export const cloneVm = defineAction({
  type: 'CloneVm',
  title: 'clone VM',
  actionGroup: 'VM_BASIC_OPERATIONS',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({
    vmId: nodeId('Vm', 'id'),
    name: vmName.describe("The clone's name (unique in the data center)."),
    description: description.optional(),
  }),
  locks: (p) => [lockKey('Vm', p.vmId), lockKey('VmName', p.name)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx, actor }, p) {
    const vm = await loadVm(tx, p.vmId);
    const taken = await tx.vm.count({ where: { name: p.name, cluster: { dataCenterId: vm.cluster.dataCenterId } } });
    const disks = await ownDisks(tx, vm.id);
    return [
      refuseWhen(
        !(await can(tx, actor, 'CREATE_VM', { type: 'CLUSTER', id: vm.clusterId })),
        'FORBIDDEN',
        `Creating VMs in the cluster of VM ${vm.name} is not permitted to ${actor.userName}.`,
      ),
      vmIsDown(vm),
      notExternal(vm),
      nameFree(taken > 0, 'VM', p.name),
      disksUsable(disks.flatMap((d) => d.chain)),
      ...(await roomFor(tx, needsByDomain(disks.map((d) => ({ storageDomainId: d.disk.storageDomainId, bytes: d.bytes }))))),
      disks.length ? await storageHostAvailable(tx, vm.cluster.dataCenterId) : null,
    ];
  },
  async job(tx, p) {
    const vm = await loadVm(tx, p.vmId);
    return { description: `Cloning VM ${vm.name} as ${p.name}`, vmId: vm.id };
  },
  /** The SPM writes each disk's collapsed copy (removed again if the action fails later); the new disk ids by source disk. */
  async onHost({ engine, compensate, jobId }, p) {
    const vm = await engine.db.vm.findUniqueOrThrow({ where: { id: p.vmId }, select: { cluster: { select: { dataCenterId: true } } } });
    const disks = await engine.db.$transaction((tx) => ownDisks(tx, p.vmId));
    const ids = new Map(disks.map((d) => [d.disk.id, randomUUID()]));
    await copyVolumes(
      engine,
      { dataCenterId: vm.cluster.dataCenterId, title: 'clone VM', jobId },
      disks.map((d) => ({
        source: { domain: d.disk.storageDomain, disk: d.disk, format: d.disk.format },
        target: { domain: d.disk.storageDomain, diskId: ids.get(d.disk.id)!, format: d.sparse ? 'COW' : 'RAW' },
      })),
      compensate,
    );
    return ids;
  },
  async execute({ tx, actor, publish }, p, _marked, ids) {
    const source = await tx.vm.findUniqueOrThrow({ where: { id: p.vmId }, include: { nics: { orderBy: { name: 'asc' } } } });
    const {
      id: _id,
      name: _name,
      createdAt: _c,
      updatedAt: _u,
      hostId: _h,
      status: _s,
      nics,
      customProperties,
      importSource: _i,
      initialization,
      ...definition
    } = source;
    const vm = await tx.vm.create({
      data: {
        ...definition,
        // The clone boots for the first time too: it gets the same cloud-init settings (and sealed password).
        ...(initialization ? { initialization } : {}),
        name: p.name,
        description: p.description ?? source.description,
        customProperties: (customProperties ?? {}) as Prisma.InputJsonValue,
        migratingToHostId: null,
      },
      include: { cluster: true },
    });
    const macs = await allocateMacs(tx, nics.length);
    if (nics.length)
      await tx.vmNic.createMany({
        data: nics.map((n, i) => ({
          vmId: vm.id,
          name: n.name,
          networkId: n.networkId,
          interface: n.interface,
          linked: n.linked,
          plugged: n.plugged,
          macAddress: macs[i]!,
        })),
      });
    for (const [i, d] of (await ownDisks(tx, p.vmId)).entries()) {
      const disk = await tx.disk.create({
        data: {
          id: ids.get(d.disk.id)!,
          alias: `${vm.name}_Disk${i + 1}`,
          description: d.disk.description,
          storageDomainId: d.disk.storageDomainId,
          provisionedSizeBytes: d.disk.provisionedSizeBytes,
          actualSizeBytes: d.bytes,
          format: d.sparse ? 'COW' : 'RAW',
          sparse: d.sparse,
        },
      });
      await tx.diskAttachment.create({
        data: {
          vmId: vm.id,
          diskId: disk.id,
          bootable: d.attachment.bootable,
          interface: d.attachment.interface,
          active: d.attachment.active,
        },
      });
      await account(tx, disk.storageDomainId, d.bytes);
    }
    await makeCreatorOwner(tx, actor, publish, vm.id);
    publish('vm:changed', { id: vm.id, kind: 'created' });
    return { vm, source };
  },
  audit: ({ vm, source }) => ({
    code: 'USER_ADD_VM_CLONE',
    vars: { vmName: vm.name, sourceVmName: source.name },
    objects: { vmId: vm.id, clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId },
  }),
  api: {
    mutation: 'cloneVm',
    description: 'Clone a Down VM: its definition, NICs (new MACs) and full copies of its disks; a Job while the SPM copies.',
    payload: { field: 'vm', type: 'Vm' },
    result: (r) => r.vm,
  },
});
