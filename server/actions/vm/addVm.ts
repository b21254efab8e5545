import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { allocateMacs } from './macPool.ts';
import { makeCreatorOwner } from './creatorOwner.ts';
import { MAX_VM_NICS, nicInterface } from './nic/nicParams.ts';
import { description, nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { guaranteedWithinMemory, vmHardware, vmName } from '../../validators/vmValidator.ts';
import type { Reason } from '../../errors.ts';
import { diskInterface } from '../disk/diskChecks.ts';
import { createVolumes } from '../../storage/hostVolumes.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { leaseDomainUsable, leaseStorageDomainParam } from '../../validators/vmLease.ts';
import { clusterRules, customPropertyValues, propertiesAllowed, propertiesObject } from '../../validators/customProperties.ts';
import { bootDevicesParam, cdromImageUsable, cdromParam } from '../../validators/vmCdrom.ts';
import { initializationParam } from './cloudInit.ts';

const nic = z
  .object({
    name: objectName,
    networkId: nodeId('Network', 'network')
      .nullable()
      .default(null)
      .describe('A VM network attached to the cluster; none = unplugged from any network.'),
    interface: nicInterface.default('VIRTIO'),
  })
  .meta({ graphql: 'VmNicInput' });
const disk = z
  .object({
    alias: objectName.optional(),
    storageDomainId: nodeId('StorageDomain', 'storageDomain'),
    provisionedSizeBytes: z.bigint().positive('must be positive'),
    format: z.enum(['RAW', 'COW']).meta({ graphql: 'DiskFormat' }).default('COW'),
    sparse: z.boolean().default(true).describe('Thin provisioned (default) or preallocated.'),
    bootable: z.boolean().default(false),
    interface: diskInterface.default('VIRTIO_SCSI'),
  })
  .meta({ graphql: 'VmDiskInput' });

/** A new thin disk holds only its qcow2 metadata; a preallocated one takes its full size at once. */
const INITIAL_THIN_BYTES = 1n << 20n;

export const addVm = defineAction({
  type: 'AddVm',
  title: 'add VM',
  actionGroup: 'CREATE_VM',
  subject: (p) => ({ type: 'CLUSTER', id: p.clusterId }),
  params: z.object({
    name: vmName,
    clusterId: nodeId('Cluster', 'cluster'),
    description: description.optional(),
    ...vmHardware,
    customProperties: customPropertyValues.default([]),
    leaseStorageDomainId: leaseStorageDomainParam,
    nics: z.array(nic).max(MAX_VM_NICS).default([]),
    disks: z.array(disk).max(16).default([]),
    cdromImageId: cdromParam,
    bootDevices: bootDevicesParam,
    initialization: initializationParam,
  }),
  locks: (p) => [
    lockKey('VmName', p.name),
    lockKey('Cluster', p.clusterId),
    ...p.disks.map((d) => lockKey('StorageDomain', d.storageDomainId)),
  ],
  objects: (p) => ({ clusterId: p.clusterId }),
  async validate({ tx }, p) {
    const cluster = found(
      await tx.cluster.findUnique({ where: { id: p.clusterId }, include: { dataCenter: true } }),
      'Cluster',
      p.clusterId,
    );
    // VM names are unique within a data center.
    const taken = await tx.vm.count({ where: { name: p.name, cluster: { dataCenterId: cluster.dataCenterId } } });
    return [
      nameFree(taken > 0, 'VM', p.name, `Data Center ${cluster.dataCenter.name}`),
      guaranteedWithinMemory(p.memoryMb ?? 1024, p.guaranteedMemoryMb ?? p.memoryMb ?? 1024),
      refuseWhen(
        new Set(p.nics.map((n) => n.name)).size !== p.nics.length,
        'VM_NIC_NAME_DUPLICATE',
        'Two NICs of the VM have the same name.',
      ),
      ...(await nicNetworksInCluster(tx, p.clusterId, p.nics)),
      ...(await disksFit(tx, cluster.dataCenterId, p.disks)),
      p.disks.length ? await storageHostAvailable(tx, cluster.dataCenterId) : null,
      ...propertiesAllowed(p.customProperties, clusterRules(cluster.customProperties), cluster.name),
      await leaseDomainUsable(tx, cluster.dataCenterId, p.leaseStorageDomainId),
      await cdromImageUsable(tx, cluster.dataCenterId, p.cdromImageId),
    ];
  },
  /** The disks' volumes, made by a host before the rows (removed again if the action fails later); their ids. */
  async onHost({ engine, compensate }, p) {
    const ids = p.disks.map(() => randomUUID());
    if (!p.disks.length) return ids;
    const cluster = await engine.db.cluster.findUniqueOrThrow({ where: { id: p.clusterId } });
    const domains = await engine.db.storageDomain.findMany({ where: { id: { in: p.disks.map((d) => d.storageDomainId) } } });
    await createVolumes(
      engine,
      { dataCenterId: cluster.dataCenterId, title: 'add VM' },
      p.disks.map((d, i) => ({
        domain: domains.find((x) => x.id === d.storageDomainId)!,
        diskId: ids[i]!,
        format: d.format,
        sizeBytes: d.provisionedSizeBytes,
        label: { diskAlias: diskAlias(p.name, d, i), vmName: p.name },
      })),
      compensate,
    );
    return ids;
  },
  async execute({ tx, actor, publish, engine }, { nics, disks, customProperties, initialization, ...data }, _marked, diskIds) {
    const { password, ...init } = initialization ?? {};
    const vm = await tx.vm.create({
      data: {
        ...data,
        guaranteedMemoryMb: data.guaranteedMemoryMb ?? data.memoryMb,
        customProperties: propertiesObject(customProperties),
        ...(initialization ? { initialization: init, initializationPasswordSealed: password ? engine.secrets.seal(password) : null } : {}),
      },
    });
    const macs = await allocateMacs(tx, nics.length);
    if (nics.length) await tx.vmNic.createMany({ data: nics.map((n, i) => ({ ...n, vmId: vm.id, macAddress: macs[i]! })) });
    for (const [i, d] of disks.entries()) {
      const actualSizeBytes = d.sparse
        ? d.provisionedSizeBytes < INITIAL_THIN_BYTES
          ? d.provisionedSizeBytes
          : INITIAL_THIN_BYTES
        : d.provisionedSizeBytes;
      const created = await tx.disk.create({
        data: {
          id: diskIds[i],
          alias: diskAlias(vm.name, d, i),
          storageDomainId: d.storageDomainId,
          provisionedSizeBytes: d.provisionedSizeBytes,
          actualSizeBytes,
          format: d.format,
          sparse: d.sparse,
        },
      });
      await tx.diskAttachment.create({ data: { vmId: vm.id, diskId: created.id, bootable: d.bootable, interface: d.interface } });
      await tx.storageDomain.update({ where: { id: d.storageDomainId }, data: { usedBytes: { increment: actualSizeBytes } } });
    }
    await makeCreatorOwner(tx, actor, publish, vm.id);
    publish('vm:changed', { id: vm.id, kind: 'created' });
    return tx.vm.findUniqueOrThrow({ where: { id: vm.id }, include: { cluster: true } });
  },
  audit: (vm) => ({
    code: 'USER_ADD_VM',
    vars: { vmName: vm.name },
    objects: { vmId: vm.id, clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId },
  }),
  api: {
    mutation: 'addVm',
    description: 'Define a new VM (Down) with its NICs and disks.',
    payload: { field: 'vm', type: 'Vm' },
  },
});

/** A new disk's alias: the one given, else `<vm>_Disk<n>`. */
function diskAlias(vmName: string, d: { alias?: string }, i: number): string {
  return d.alias ?? `${vmName}_Disk${i + 1}`;
}

/** Every network the NICs use is attached to the cluster and carries VM traffic. */
export async function nicNetworksInCluster(
  tx: Tx,
  clusterId: string,
  nics: { name: string; networkId: string | null }[],
): Promise<(Reason | null)[]> {
  const wanted = [...new Set(nics.flatMap((n) => (n.networkId ? [n.networkId] : [])))];
  if (!wanted.length) return [];
  const attached = await tx.clusterNetwork.findMany({ where: { clusterId, networkId: { in: wanted } }, include: { network: true } });
  return wanted.map((networkId) => {
    const a = attached.find((x) => x.networkId === networkId);
    return (
      refuseWhen(!a, 'NETWORK_NOT_IN_CLUSTER', `Network ${networkId} is not attached to the VM's cluster.`) ??
      refuseWhen(!a!.network.vmNetwork, 'NETWORK_NOT_VM_NETWORK', `Network ${a!.network.name} does not carry VM traffic.`)
    );
  });
}

/** Every disk's domain is an active data domain of the VM's data center with room for what it takes now. */
export async function disksFit(
  tx: Tx,
  dataCenterId: string,
  disks: { storageDomainId: string; provisionedSizeBytes: bigint; sparse: boolean }[],
) {
  const ids = [...new Set(disks.map((d) => d.storageDomainId))];
  const domains = await tx.storageDomain.findMany({ where: { id: { in: ids } } });
  return ids.map((sdId) => {
    const sd = domains.find((d) => d.id === sdId);
    if (!sd) return { code: 'STORAGE_DOMAIN_NOT_FOUND', message: `Storage Domain ${sdId} does not exist.` };
    const needed = disks
      .filter((d) => d.storageDomainId === sdId)
      .reduce((sum, d) => sum + (d.sparse ? INITIAL_THIN_BYTES : d.provisionedSizeBytes), 0n);
    const free = sd.capacityBytes - sd.usedBytes;
    return (
      refuseWhen(
        sd.dataCenterId !== dataCenterId || sd.domainType !== 'DATA',
        'STORAGE_DOMAIN_NOT_USABLE',
        `Storage Domain ${sd.name} is not a data domain of the VM's data center.`,
      ) ??
      refuseWhen(sd.status !== 'ACTIVE', 'STORAGE_DOMAIN_NOT_ACTIVE', `Storage Domain ${sd.name} is ${sd.status}.`) ??
      refuseWhen(needed > free, 'STORAGE_DOMAIN_LOW_SPACE', `Storage Domain ${sd.name} has ${free} bytes free; the disks need ${needed}.`)
    );
  });
}
