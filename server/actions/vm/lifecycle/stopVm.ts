// StopVm (power off) and ShutdownVm (ask the guest, bounded; powering off after the bound only
// when asked to, as oVirt's "shutdown, then power off" option does).
import { z } from 'zod';
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import { lockKey } from '../../locks.ts';
import { id } from '../../../validators/params.ts';
import type { FollowOutcome, ActionDefinition } from '../../defineAction.ts';
import { followUntil } from './followVm.ts';
import { loadVm, type LoadedVm } from './loadVm.ts';
import { notExternal, vmStatusIn } from './vmStatusChecks.ts';
import { succeeded } from '../../../agents/hostBroker.ts';

/** A VM in these runs on a host (or is starting there): it can be powered off. */
const ON_A_HOST: readonly VmStatus[] = ['WAIT_FOR_LAUNCH', 'POWERING_UP', 'UP', 'POWERING_DOWN', 'PAUSED', 'REBOOT_IN_PROGRESS', 'NOT_RESPONDING', 'SAVING_STATE', 'RESTORING_STATE', 'UNKNOWN'];

const stopParams = z.object({ vmId: id });
interface Stopped { vm: LoadedVm; host: { id: string; name: string } | null }

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
    return [vmStatusIn(vm, [...ON_A_HOST, 'SUSPENDED'], 'power off'), notExternal(vm)];
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
  audit: ({ vm, host }) => ({ code: 'USER_STOP_VM', vars: { vmName: vm.name, hostName: host?.name ?? 'none' }, objects: { vmId: vm.id, hostId: host?.id, clusterId: vm.clusterId } }),
  async follow(ctx, _p, { vm, host }): Promise<FollowOutcome> {
    if (!host) return { ok: true };
    const r = await followUntil(ctx.engine, vm.id, (v) => v.status === 'DOWN', () => false);
    return r.vm === null || r.vm.status === 'DOWN' ? { ok: true } : { ok: false, step: `host ${host.name} did not report the VM Down in time` };
  },
};

const shutdownParams = z.object({
  vmId: id,
  /** How long the guest has to power off. */
  timeoutSeconds: z.number().int().min(1).max(3600).default(120),
  /** Power off when the guest has not shut down within the timeout (default: leave it running). */
  forceAfterTimeout: z.boolean().default(false),
});

export const shutdownVm: ActionDefinition<z.infer<typeof shutdownParams>, Stopped & { host: { id: string; name: string } }, Stopped & { host: { id: string; name: string } }> = {
  type: 'ShutdownVm',
  title: 'shut down VM',
  params: shutdownParams,
  actionGroup: 'VM_BASIC_OPERATIONS',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    return [vmStatusIn(vm, ['UP'], 'shut down'), notExternal(vm)];
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
  audit: ({ vm, host }) => ({ code: 'USER_INITIATED_SHUTDOWN_VM', vars: { vmName: vm.name, hostName: host.name }, objects: { vmId: vm.id, hostId: host.id, clusterId: vm.clusterId } }),
  async follow(ctx, p, { vm, host }): Promise<FollowOutcome> {
    const down = (v: { status: VmStatus }) => v.status === 'DOWN';
    const r = await followUntil(ctx.engine, vm.id, down, () => false, p.timeoutSeconds * 1000);
    if (!r.timedOut) return { ok: true };
    const objects = { vmId: vm.id, hostId: host.id, clusterId: vm.clusterId };
    if (!p.forceAfterTimeout)
      return { ok: false, step: 'the guest did not shut down in time', audit: { code: 'USER_SHUTDOWN_VM_TIMED_OUT', vars: { vmName: vm.name, timeoutSeconds: p.timeoutSeconds, outcome: 'it was left running.' }, objects } };
    const destroyed = await succeeded(ctx.hosts.destroy(host, vm.id));
    const after = destroyed ? await followUntil(ctx.engine, vm.id, down, () => false) : null;
    const ok = !!after && (after.vm === null || down(after.vm));
    return {
      ok,
      step: ok ? 'powered off after the shutdown timeout' : 'could not power it off after the shutdown timeout',
      audit: { code: 'USER_SHUTDOWN_VM_TIMED_OUT', vars: { vmName: vm.name, timeoutSeconds: p.timeoutSeconds, outcome: ok ? 'it was powered off.' : 'powering it off failed too.' }, objects },
    };
  },
};
