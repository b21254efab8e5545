// oVirt's AddVmInterface: a new NIC on a VM, hot-plugged when the VM runs (and the NIC is plugged).
import { z } from 'zod';
import { defineAction } from '../../defineAction.ts';
import { lockKey } from '../../locks.ts';
import { nodeId, objectName } from '../../../validators/params.ts';
import { refuseWhen } from '../../../validators/reasons.ts';
import { loadVm } from '../lifecycle/loadVm.ts';
import { vmObjects } from '../../snapshot/checks.ts';
import { nicNetworksInCluster } from '../addVm.ts';
import { allocateMacs, macUsable } from '../macPool.ts';
import { MAX_VM_NICS, macAddress, nicInterface } from './nicParams.ts';
import { nicNameFree, nicsEditable, nicWords } from './nicChecks.ts';
import { applyOnHost, livePlan, liveWords, type LivePlan, type NicState } from './nicOnHost.ts';

interface Planned {
  nic: NicState & { name: string };
  plan: LivePlan | null;
}

export const addVmNic = defineAction({
  type: 'AddVmInterface',
  title: 'add NIC',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({
    vmId: nodeId('Vm', 'vm'),
    name: objectName.optional().describe('Default: the first free nic1, nic2…'),
    networkId: nodeId('Network', 'network').optional().describe("A VM network attached to the VM's cluster; none: no network."),
    interface: nicInterface.default('VIRTIO'),
    macAddress: macAddress.optional(),
    linked: z.boolean().default(true).describe('Link up (default) or down, as if the cable were pulled.'),
    plugged: z.boolean().default(true).describe('Plugged into the VM (hot-plugged if it runs), or defined only.'),
  }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    const count = await tx.vmNic.count({ where: { vmId: vm.id } });
    return [
      ...nicsEditable(vm),
      refuseWhen(count >= MAX_VM_NICS, 'VM_NIC_LIMIT', `VM ${vm.name} has ${MAX_VM_NICS} NICs, the most a VM may have.`),
      await nicNameFree(tx, vm, p.name),
      ...(await nicNetworksInCluster(tx, vm.clusterId, [{ name: p.name ?? '', networkId: p.networkId ?? null }])),
      p.macAddress ? await macUsable(tx, p.macAddress.toLowerCase()) : null,
    ];
  },
  async prepare({ tx }, p): Promise<Planned> {
    const vm = await loadVm(tx, p.vmId);
    const names = new Set((await tx.vmNic.findMany({ where: { vmId: vm.id }, select: { name: true } })).map((n) => n.name));
    let k = 1;
    while (names.has(`nic${k}`)) k++;
    const nic = {
      name: p.name ?? `nic${k}`,
      macAddress: p.macAddress?.toLowerCase() ?? (await allocateMacs(tx, 1))[0]!,
      interface: p.interface,
      networkId: p.networkId ?? null,
      linked: p.linked,
      plugged: p.plugged,
    };
    return { nic, plan: await livePlan(tx, vm, null, nic) };
  },
  onHost: (ctx, _p, { plan }) => applyOnHost(ctx, plan),
  async execute({ tx, publish }, p, { nic, plan }) {
    const row = await tx.vmNic.create({ data: { ...nic, vmId: p.vmId } });
    const vm = await tx.vm.findUniqueOrThrow({ where: { id: p.vmId }, include: { cluster: true } });
    publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { nic: row, vm, detail: await nicWords(tx, nic), live: liveWords(plan) };
  },
  audit: ({ nic, vm, detail, live }) => ({
    code: 'NETWORK_ADD_VM_INTERFACE',
    vars: { nicName: nic.name, vmName: vm.name, detail, live },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'addVmNic',
    description: "Add a NIC to a VM: a MAC from the pool unless one is given; plugged into a running VM's host at once.",
    payload: { field: 'nic', type: 'VmNic' },
    result: (r) => r.nic,
  },
});
