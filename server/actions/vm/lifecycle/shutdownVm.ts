// ShutdownVm: ask the guest, bounded; powering off after the bound only when asked to, as oVirt's
// "shutdown, then power off" option does.
import { z } from 'zod';
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import { lockKey } from '../../locks.ts';
import { nodeId } from '../../../validators/params.ts';
import type { FollowOutcome, ActionDefinition } from '../../defineAction.ts';
import { followUntil } from './followVm.ts';
import { loadVm } from './loadVm.ts';
import { notExternal, vmStatusIn } from './vmStatusChecks.ts';
import { succeeded } from '../../../agents/hostBroker.ts';
import type { Stopped } from './stopVm.ts';
import { vmJobApi } from './vmJobApi.ts';

const shutdownParams = z.object({
  vmId: nodeId('Vm', 'id'),
  timeoutSeconds: z.number().int().min(1).max(3600).default(120).describe('How long the guest has to power off (default 120).'),
  forceAfterTimeout: z
    .boolean()
    .default(false)
    .describe('Power the VM off if the guest has not shut down in time (default false: leave it running).'),
});

export const shutdownVm: ActionDefinition<
  z.infer<typeof shutdownParams>,
  Stopped & { host: { id: string; name: string } },
  Stopped & { host: { id: string; name: string } }
> = {
  type: 'ShutdownVm',
  title: 'shut down VM',
  params: shutdownParams,
  actionGroup: 'VM_BASIC_OPERATIONS',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    return [vmStatusIn(vm, ['UP'], 'shut it down'), notExternal(vm)];
  },
  async job(tx, p) {
    const vm = await loadVm(tx, p.vmId);
    return { description: `Shutting down VM ${vm.name}`, vmId: vm.id, hostId: vm.hostId };
  },
  async prepare({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    return { vm, host: vm.host! };
  },
  async onHost(ctx, _p, { vm, host }) {
    await ctx.hosts.shutdown(host, vm.id);
  },
  execute: async (_ctx, _p, marked) => marked,
  audit: ({ vm, host }) => ({
    code: 'USER_INITIATED_SHUTDOWN_VM',
    vars: { vmName: vm.name, hostName: host.name },
    objects: { vmId: vm.id, hostId: host.id, clusterId: vm.clusterId },
  }),
  async follow(ctx, p, { vm, host }): Promise<FollowOutcome> {
    const down = (v: { status: VmStatus }) => v.status === 'DOWN';
    const r = await followUntil(ctx.engine, vm.id, down, () => false, p.timeoutSeconds * 1000);
    if (!r.timedOut) return { ok: true };
    const objects = { vmId: vm.id, hostId: host.id, clusterId: vm.clusterId };
    if (!p.forceAfterTimeout)
      return {
        ok: false,
        step: 'the guest did not shut down in time',
        audit: {
          code: 'USER_SHUTDOWN_VM_TIMED_OUT',
          vars: { vmName: vm.name, timeoutSeconds: p.timeoutSeconds, outcome: 'it was left running.' },
          objects,
        },
      };
    const destroyed = await succeeded(ctx.hosts.destroy(host, vm.id));
    const after = destroyed ? await followUntil(ctx.engine, vm.id, down, () => false) : null;
    const ok = !!after && (after.vm === null || down(after.vm));
    return {
      ok,
      step: ok ? 'powered off after the shutdown timeout' : 'could not power it off after the shutdown timeout',
      audit: {
        code: 'USER_SHUTDOWN_VM_TIMED_OUT',
        vars: { vmName: vm.name, timeoutSeconds: p.timeoutSeconds, outcome: ok ? 'it was powered off.' : 'powering it off failed too.' },
        objects,
      },
    };
  },
  api: vmJobApi(
    'shutdownVm',
    'Ask the guest to shut down (ACPI); the Job fails, or powers the VM off if asked, when it has not within the timeout.',
  ),
};
