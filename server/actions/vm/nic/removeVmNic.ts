// oVirt's RemoveVmInterface: the NIC goes, hot-unplugged first when the VM runs with it plugged;
// its MAC goes back to the pool.
import { z } from 'zod';
import { defineAction } from '../../defineAction.ts';
import { lockKey } from '../../locks.ts';
import { nodeId } from '../../../validators/params.ts';
import { loadVm } from '../lifecycle/loadVm.ts';
import { vmObjects } from '../../snapshot/checks.ts';
import { nicOf, nicsEditable, nicWords } from './nicChecks.ts';
import { applyOnHost, livePlan, liveWords } from './nicOnHost.ts';

export const removeVmNic = defineAction({
  type: 'RemoveVmInterface',
  title: 'remove NIC',
  actionGroup: 'EDIT_VM_PROPERTIES',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  params: z.object({ vmId: nodeId('Vm', 'vm'), nicId: nodeId('VmNic', 'nic').describe('A NIC of that VM.') }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    await nicOf(tx, vm.id, p.nicId);
    return nicsEditable(vm);
  },
  async prepare({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    return { plan: await livePlan(tx, vm, await nicOf(tx, vm.id, p.nicId), null) };
  },
  onHost: (ctx, _p, { plan }) => applyOnHost(ctx, plan),
  async execute({ tx, publish }, p, { plan }) {
    const detail = await nicWords(tx, await nicOf(tx, p.vmId, p.nicId));
    const nic = await tx.vmNic.delete({ where: { id: p.nicId } });
    const vm = await tx.vm.findUniqueOrThrow({ where: { id: p.vmId }, include: { cluster: true } });
    publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { nic, vm, detail, live: liveWords(plan) };
  },
  audit: ({ nic, vm, detail, live }) => ({
    code: 'NETWORK_REMOVE_VM_INTERFACE',
    vars: { nicName: nic.name, vmName: vm.name, detail, live },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'removeVmNic',
    description: "Remove a VM's NIC (hot-unplugged first from a running VM); its MAC returns to the pool.",
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'VmNic', id: r.nic.id }),
  },
});
