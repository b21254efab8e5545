import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { description, nodeId } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { guaranteedWithinMemory, vmHardware, vmIsDown, vmName } from '../../validators/vmValidator.ts';
import { leaseDomainUsable, leaseStorageDomainParam } from '../../validators/vmLease.ts';
import { clusterRules, customPropertyValues, propertiesAllowed, propertiesObject } from '../../validators/customProperties.ts';
import { bootDevicesParam, cdromParam, ejectCdromParam } from '../../validators/vmCdrom.ts';
import { cdChangeProblems, changeCdOnHost } from './cdromChange.ts';
import { initializationParam } from './cloudInit.ts';
import { Prisma } from '../../../generated/prisma/client.ts';

/** Settings that change the VM's hardware: only while it is Down. */
const HARDWARE_KEYS = ['cpuSockets', 'cpuCores', 'cpuThreads', 'memoryMb', 'guaranteedMemoryMb'] as const;

function initializationData({ password, ...init }: NonNullable<z.infer<typeof initializationParam>>, secrets: { seal(s: string): string }) {
  return { initialization: init, ...(password ? { initializationPasswordSealed: secrets.seal(password) } : {}) };
}

export const updateVm = defineAction({
  type: 'UpdateVm',
  title: 'update VM',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({
    vmId: nodeId('Vm', 'id'),
    name: vmName.optional(),
    description: description.optional(),
    ...vmHardware,
    customProperties: customPropertyValues.optional(),
    leaseStorageDomainId: leaseStorageDomainParam,
    removeLease: z.boolean().optional().describe('Take the VM lease away (the VM must be Down).'),
    cdromImageId: cdromParam,
    ejectCdrom: ejectCdromParam,
    bootDevices: bootDevicesParam,
    initialization: initializationParam,
    removeInitialization: z.boolean().optional().describe('Remove its cloud-init settings (and password).'),
  }),
  locks: (p) => [lockKey('Vm', p.vmId), ...(p.name ? [lockKey('VmName', p.name)] : [])],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = found(await tx.vm.findUnique({ where: { id: p.vmId }, include: { cluster: true } }), 'VM', p.vmId);
    const taken =
      p.name && p.name !== vm.name ? await tx.vm.count({ where: { name: p.name, cluster: { dataCenterId: vm.cluster.dataCenterId } } }) : 0;
    const hardwareChange =
      HARDWARE_KEYS.some((k) => p[k] !== undefined && p[k] !== vm[k]) ||
      (p.leaseStorageDomainId != null && p.leaseStorageDomainId !== vm.leaseStorageDomainId) ||
      (!!p.removeLease && vm.leaseStorageDomainId !== null);
    return [
      nameFree(taken > 0, 'VM', p.name ?? ''),
      hardwareChange ? vmIsDown(vm) : null,
      guaranteedWithinMemory(p.memoryMb ?? vm.memoryMb, p.guaranteedMemoryMb ?? Math.min(vm.guaranteedMemoryMb, p.memoryMb ?? vm.memoryMb)),
      ...(p.customProperties ? propertiesAllowed(p.customProperties, clusterRules(vm.cluster.customProperties), vm.cluster.name) : []),
      await leaseDomainUsable(tx, vm.cluster.dataCenterId, p.leaseStorageDomainId),
      ...(await cdChangeProblems(tx, vm, p)),
    ];
  },
  /** A running VM's host changes the medium at once (and back, should the update fail after). */
  onHost: (ctx, p) => changeCdOnHost(ctx, p.vmId, p),
  async execute(
    { tx, publish, engine },
    { vmId, customProperties, removeLease, ejectCdrom, initialization, removeInitialization, ...data },
  ) {
    const before = await tx.vm.findUniqueOrThrow({ where: { id: vmId } });
    // Shrinking memory below the guarantee lowers the guarantee with it.
    const guaranteedMemoryMb = data.guaranteedMemoryMb ?? Math.min(before.guaranteedMemoryMb, data.memoryMb ?? before.memoryMb);
    const vm = await tx.vm.update({
      where: { id: vmId },
      data: {
        ...data,
        guaranteedMemoryMb,
        ...(customProperties ? { customProperties: propertiesObject(customProperties) } : {}),
        ...(removeLease ? { leaseStorageDomainId: null } : {}),
        // A new one without a password keeps the password it had.
        ...(removeInitialization ? { initialization: Prisma.DbNull, initializationPasswordSealed: null } : {}),
        ...(initialization ? initializationData(initialization, engine.secrets) : {}),
        ...(ejectCdrom ? { cdromImageId: null } : {}),
      },
      include: { cluster: true },
    });
    publish('vm:changed', { id: vm.id, kind: 'updated' });
    return vm;
  },
  audit: (vm) => ({
    code: 'USER_UPDATE_VM',
    vars: { vmName: vm.name },
    objects: { vmId: vm.id, clusterId: vm.clusterId, dataCenterId: vm.cluster.dataCenterId },
  }),
  api: {
    mutation: 'updateVm',
    description: "Edit a VM's definition; hardware changes need the VM Down.",
    payload: { field: 'vm', type: 'Vm' },
  },
});
