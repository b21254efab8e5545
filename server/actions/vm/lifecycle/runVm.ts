// RunVm: start a Down VM, or restore a suspended one, on a host the scheduler chooses (or the
// user's choice, if the scheduler accepts it). The mutation returns when the host's agent has
// accepted the VM; the Job ends when monitoring sees the VM Up (or Down: it failed to start).
import { z } from 'zod';
import { lockKey } from '../../locks.ts';
import { nodeId } from '../../../validators/params.ts';
import { refuseWhen } from '../../../validators/reasons.ts';
import type { FollowOutcome, ActionDefinition } from '../../defineAction.ts';
import { followUntil } from './followVm.ts';
import { loadVm, type LoadedVm } from './loadVm.ts';
import { notExternal, vmStatusIn } from './vmStatusChecks.ts';
import { succeeded } from '../../../agents/hostBroker.ts';
import { place, placementCheck, powerOnForRoom, reservationKept } from './placement.ts';
import { ValidationError } from '../../../errors.ts';
import { domainSpec } from './domainSpec.ts';
import { memoryToRestore } from './memoryToRestore.ts';
import { vmJobApi } from './vmJobApi.ts';
import type { DomainSpec } from '../../../../protocol/messages.ts';

const absolutePath = z.string().min(1).startsWith('/', 'an absolute path on the host');

const params = z.object({
  vmId: nodeId('Vm', 'id'),
  hostId: nodeId('Host', 'host')
    .nullish()
    .describe("Run on this host (it must pass the scheduler's filters); default: the scheduler chooses."),
  runOnce: z
    .object({
      startPaused: z.boolean().default(false).describe('Start the VM paused.'),
      // Linux boot options (oVirt's run once): boot this kernel and initrd, files on the host, with these parameters.
      kernelPath: absolutePath
        .nullish()
        .describe('Linux boot options: boot this kernel (an absolute path of a file on the host) instead of from a disk.'),
      initrdPath: absolutePath.nullish().describe('Linux boot options: the initrd (an absolute path on the host); needs kernelPath.'),
      kernelParams: z.string().max(4096).nullish().describe('Linux boot options: the kernel command line; needs kernelPath.'),
    })
    .refine((o) => o.kernelPath || (!o.initrdPath && !o.kernelParams), {
      message: 'an initrd or kernel parameters need a kernel path',
      path: ['kernelPath'],
    })
    .nullish()
    .meta({ graphql: 'RunOnceInput', typeDescription: 'Options for this run only.' }),
});
type Params = z.infer<typeof params>;

interface Marked {
  vm: LoadedVm;
  host: { id: string; name: string };
  restore: boolean;
  spec: DomainSpec;
}
export interface RunVmResult {
  vm: LoadedVm;
  host: { id: string; name: string };
}

const TITLE = 'run VM';

export const runVm: ActionDefinition<Params, RunVmResult, Marked> = {
  type: 'RunVm',
  title: TITLE,
  params,
  actionGroup: 'VM_BASIC_OPERATIONS',
  subject: (p) => ({ type: 'VM', id: p.vmId }),
  locks: (p) => [lockKey('Vm', p.vmId)],
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const vm = await loadVm(tx, p.vmId);
    const host = p.hostId ? await tx.host.findUnique({ where: { id: p.hostId }, select: { clusterId: true, name: true } }) : null;
    return [
      vmStatusIn(vm, ['DOWN', 'SUSPENDED'], 'run it'),
      notExternal(vm),
      refuseWhen(!!p.hostId && !host, 'HOST_NOT_FOUND', `Host ${p.hostId} does not exist.`),
      refuseWhen(
        !!host && host.clusterId !== vm.clusterId,
        'HOST_NOT_IN_VM_CLUSTER',
        `Host ${host?.name} is not in cluster ${vm.cluster.name} of VM ${vm.name}.`,
      ),
    ];
  },
  async checkOnly(ctx, p) {
    const vm = await loadVm(ctx.tx, p.vmId);
    return placementCheck(ctx, vm.id, vm.name, 'run', { hostId: p.hostId }, (hostId) =>
      reservationKept(ctx, vm, hostId, 'run', ctx.actor.internal),
    );
  },
  makeRoom: ({ engine }, p, refusal) => powerOnForRoom(engine, p.vmId, p.hostId, refusal, 'run'),
  async job(tx, p) {
    const vm = await loadVm(tx, p.vmId);
    return { description: `${vm.status === 'SUSPENDED' ? 'Restoring' : 'Starting'} VM ${vm.name}`, vmId: vm.id };
  },
  async prepare(ctx, p) {
    const vm = await loadVm(ctx.tx, p.vmId);
    const placement = await place(ctx.engine, ctx.tx, TITLE, vm.id, vm.name, 'run', { hostId: p.hostId });
    ctx.compensate(async () => placement.release());
    const broken = await reservationKept(ctx, vm, placement.hostId, 'run', ctx.actor.internal);
    if (broken.length) throw new ValidationError(TITLE, broken);
    const host = await ctx.tx.host.findUniqueOrThrow({ where: { id: placement.hostId }, select: { id: true, name: true } });
    await ctx.snapshot('Vm', vm.id, { status: vm.status, hostId: vm.hostId });
    // oVirt's WaitForLaunch: the engine's one transient status, undone if the host does not take the VM.
    await ctx.tx.vm.update({ where: { id: vm.id }, data: { status: 'WAIT_FOR_LAUNCH', hostId: host.id } });
    await ctx.tx.job.update({ where: { id: ctx.jobId! }, data: { hostId: host.id } });
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
    const o = p.runOnce;
    const kernel = o?.kernelPath
      ? {
          kernelPath: o.kernelPath,
          ...(o.initrdPath ? { initrdPath: o.initrdPath } : {}),
          ...(o.kernelParams ? { cmdline: o.kernelParams } : {}),
        }
      : null;
    const restore = vm.status === 'SUSPENDED';
    const spec = await domainSpec(ctx.tx, vm, host.id, ctx.engine.leases.timeoutMs, kernel, ctx.engine.secrets);
    const memory = restore ? null : await memoryToRestore(ctx.tx, vm.memoryToRestoreId);
    return { vm, host, restore, spec: memory ? { ...spec, memoryState: { volume: memory } } : spec };
  },
  async onHost(ctx, _p, { vm, host, restore, spec }) {
    try {
      await ctx.hosts.start(host, spec, { restoreState: restore });
    } catch (e) {
      // Memory that could not be resumed is not tried again: the next run boots.
      if (spec.memoryState) await ctx.engine.db.vm.update({ where: { id: vm.id }, data: { memoryToRestoreId: null } });
      throw e;
    }
  },
  async execute({ tx }, _p, { vm, host, spec }) {
    // The memory it resumed from is used once: its next run boots.
    if (spec.memoryState) await tx.vm.update({ where: { id: vm.id }, data: { memoryToRestoreId: null } });
    return { vm, host };
  },
  audit: ({ vm, host }) => ({
    code: 'USER_INITIATED_RUN_VM',
    vars: { vmName: vm.name, hostName: host.name },
    objects: { vmId: vm.id, hostId: host.id, clusterId: vm.clusterId },
  }),
  async follow(ctx, p, { vm, host }): Promise<FollowOutcome> {
    const objects = { vmId: vm.id, hostId: host.id, clusterId: vm.clusterId };
    try {
      const r = await followUntil(
        ctx.engine,
        vm.id,
        (v) => v.status === 'UP' && v.hostId === host.id,
        (v) => v.status === 'DOWN',
      );
      if (r.vm?.status !== 'UP') {
        const reason = r.timedOut
          ? `it did not come Up on host ${host.name} in time.`
          : `it went ${r.vm?.status ?? 'away'} while starting on host ${host.name}.`;
        return { ok: false, step: reason, audit: { code: 'USER_FAILED_RUN_VM', vars: { vmName: vm.name, reason }, objects } };
      }
      if (p.runOnce?.startPaused && !(await succeeded(ctx.hosts.pause(host, vm.id))))
        return {
          ok: false,
          step: 'could not pause it after the start',
          audit: { code: 'USER_FAILED_RUN_VM', vars: { vmName: vm.name, reason: 'it started but could not be paused.' }, objects },
        };
      return { ok: true, audit: { code: 'USER_STARTED_VM', vars: { vmName: vm.name, hostName: host.name }, objects } };
    } finally {
      // The VM runs (or failed): its memory is counted from the database now, not promised.
      ctx.engine.scheduler.pending.remove(vm.id, host.id);
    }
  },
  api: vmJobApi(
    'runVm',
    'Start a Down VM (or restore a suspended one) on a host of its cluster; refused with the reason per host when none fits.',
  ),
};
