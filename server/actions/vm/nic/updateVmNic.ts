// oVirt's UpdateVmInterface: a NIC's name, network, model, MAC, link and plug state. On a running
// VM the host follows: another network or link state live, a new model or MAC by unplugging and
// plugging it again, plugged or unplugged as asked.
import { z } from 'zod';
import { defineAction } from '../../defineAction.ts';
import { lockKey } from '../../locks.ts';
import { nodeId, objectName } from '../../../validators/params.ts';
import { loadVm } from '../lifecycle/loadVm.ts';
import { vmObjects } from '../../snapshot/checks.ts';
import { nicNetworksInCluster } from '../addVm.ts';
import { macUsable } from '../macPool.ts';
import { macAddress, nicInterface } from './nicParams.ts';
import { nicNameFree, nicOf, nicsEditable, nicWords } from './nicChecks.ts';
import { applyOnHost, livePlan, liveWords, type LivePlan, type NicState } from './nicOnHost.ts';

interface Planned {
  after: NicState & { name: string };
  plan: LivePlan | null;
}

export const updateVmNic = defineAction({
  type: 'UpdateVmInterface',
  title: 'update NIC',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({
    vmId: nodeId('Vm', 'vm'),
    nicId: nodeId('VmNic', 'nic').describe('A NIC of that VM.'),
    name: objectName.optional(),
    networkId: nodeId('Network', 'network').optional().describe("A VM network attached to the VM's cluster."),
    emptyNetwork: z.boolean().optional().describe('Take the NIC off any network.'),
    interface: nicInterface.optional(),
    macAddress: macAddress.optional(),
    linked: z.boolean().optional(),
    plugged: z.boolean().optional(),
  }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    const nic = await nicOf(tx, vm.id, p.nicId);
    return [
      ...nicsEditable(vm),
      await nicNameFree(tx, vm, p.name, nic.id),
      ...(await nicNetworksInCluster(tx, vm.clusterId, [{ name: nic.name, networkId: p.emptyNetwork ? null : (p.networkId ?? null) }])),
      p.macAddress ? await macUsable(tx, p.macAddress.toLowerCase(), nic.id) : null,
    ];
  },
  async prepare({ tx }, p): Promise<Planned> {
    const vm = await loadVm(tx, p.vmId);
    const before = await nicOf(tx, vm.id, p.nicId);
    const after = {
      name: p.name ?? before.name,
      macAddress: p.macAddress?.toLowerCase() ?? before.macAddress,
      interface: p.interface ?? before.interface,
      networkId: p.emptyNetwork ? null : (p.networkId ?? before.networkId),
      linked: p.linked ?? before.linked,
      plugged: p.plugged ?? before.plugged,
    };
    return { after, plan: await livePlan(tx, vm, before, after) };
  },
  onHost: (ctx, _p, { plan }) => applyOnHost(ctx, plan),
  async execute({ tx, publish }, p, { after, plan }) {
    const nic = await tx.vmNic.update({ where: { id: p.nicId }, data: after });
    const vm = await tx.vm.findUniqueOrThrow({ where: { id: p.vmId }, include: { cluster: true } });
    publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { nic, vm, detail: await nicWords(tx, after), live: liveWords(plan) };
  },
  audit: ({ nic, vm, detail, live }) => ({
    code: 'NETWORK_UPDATE_VM_INTERFACE',
    vars: { nicName: nic.name, vmName: vm.name, detail, live },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'updateVmNic',
    description: "Edit a VM's NIC; on a running VM its host follows (live, or unplugged and plugged again for a new model or MAC).",
    payload: { field: 'nic', type: 'VmNic' },
    result: (r) => r.nic,
  },
});
