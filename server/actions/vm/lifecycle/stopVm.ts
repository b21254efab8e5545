// StopVm: power a VM off (pull the plug).
import { z } from 'zod';
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import { lockKey } from '../../locks.ts';
import { nodeId } from '../../../validators/params.ts';
import type { FollowOutcome, ActionDefinition } from '../../defineAction.ts';
import { followUntil } from './followVm.ts';
import { loadVm, type LoadedVm } from './loadVm.ts';
import { notExternal, vmStatusIn } from './vmStatusChecks.ts';
import { vmJobApi } from './vmJobApi.ts';

/** A VM in these runs on a host (or is starting there): it can be powered off. */
const ON_A_HOST: readonly VmStatus[] = [
  'WAIT_FOR_LAUNCH',
  'POWERING_UP',
  'UP',
  'POWERING_DOWN',
  'PAUSED',
  'REBOOT_IN_PROGRESS',
  'NOT_RESPONDING',
  'SAVING_STATE',
  'RESTORING_STATE',
  'UNKNOWN',
];

const stopParams = z.object({ vmId: nodeId('Vm', 'id') });
export interface Stopped {
  vm: LoadedVm;
  host: { id: string; name: string } | null;
}

export const stopVm: ActionDefinition<z.infer<typeof stopParams>, Stopped, Stopped> = {
  type: 'StopVm',
  title: 'power off VM',
  params: stopParams,
  actionGroup: 'VM_BASIC_OPERATIONS',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    return [vmStatusIn(vm, [...ON_A_HOST, 'SUSPENDED'], 'power it off'), notExternal(vm)];
  },
  async job(tx, p) {
    const vm = await loadVm(tx, p.vmId);
    return { description: `Powering off VM ${vm.name}`, vmId: vm.id, hostId: vm.hostId };
  },
  async prepare(ctx, p) {
    const vm = await loadVm(ctx.tx, p.vmId);
    if (vm.status === 'SUSPENDED') {
      // Nothing runs: powering off drops the saved memory.
      await ctx.tx.vm.update({ where: { id: vm.id }, data: { status: 'DOWN' } });
      ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
      return { vm, host: null };
    }
    return { vm, host: vm.host };
  },
  async onHost(ctx, _p, { vm, host }) {
    if (host) await ctx.hosts.destroy(host, vm.id);
  },
  execute: async (_ctx, _p, marked) => marked,
  audit: ({ vm, host }) => ({
    code: 'USER_STOP_VM',
    vars: { vmName: vm.name, hostName: host?.name ?? 'none' },
    objects: { vmId: vm.id, hostId: host?.id, clusterId: vm.clusterId },
  }),
  async follow(ctx, _p, { vm, host }): Promise<FollowOutcome> {
    if (!host) return { ok: true };
    const r = await followUntil(
      ctx.engine,
      vm.id,
      (v) => v.status === 'DOWN',
      () => false,
    );
    return r.vm === null || r.vm.status === 'DOWN'
      ? { ok: true }
      : { ok: false, step: `host ${host.name} did not report the VM Down in time` };
  },
  api: vmJobApi('stopVm', 'Power a VM off (pull the plug); a suspended VM loses its saved memory.'),
};
