// The quick verbs on a running VM (pause, resume, reboot, suspend): one agent command each,
// the status then follows the agent's reports; the Job ends when monitoring sees it.
import { z } from 'zod';
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import type { AuditCode } from '../../../audit/auditLogTypes.ts';
import { lockKey } from '../../locks.ts';
import { id } from '../../../validators/params.ts';
import type { FollowOutcome, ActionDefinition } from '../../defineAction.ts';
import { followStatus } from './followVm.ts';
import { loadVm, type LoadedVm } from './loadVm.ts';
import { notExternal, vmStatusIn } from './vmStatusChecks.ts';

const params = z.object({ vmId: id });
type Params = z.infer<typeof params>;
export interface VmOnHost { vm: LoadedVm; host: { id: string; name: string } }

interface Verb {
  type: string;
  /** 'pause' → "Cannot pause VM", "Pausing VM web01". */
  verb: string;
  gerund: string;
  from: readonly VmStatus[];
  command: 'pause' | 'resume' | 'reboot' | 'hibernate';
  /** Statuses that mean it worked. */
  until: readonly VmStatus[];
  audit: AuditCode;
}

/** One quick verb as an action. */
export function vmVerb(v: Verb): ActionDefinition<Params, VmOnHost, VmOnHost> {
  const title = `${v.verb} VM`;
  return {
    type: v.type,
    title,
    params,
    actionGroup: 'VM_BASIC_OPERATIONS',
    subject: (p) => ({ type: 'VM', id: p.vmId }),
    locks: (p) => [lockKey('Vm', p.vmId)],
    objects: (p) => ({ vmId: p.vmId }),
    async validate({ tx }, p) {
      const vm = await loadVm(tx, p.vmId);
      return [vmStatusIn(vm, v.from, v.verb), notExternal(vm)];
    },
    async job(tx, p) {
      const vm = await loadVm(tx, p.vmId);
      return { description: `${v.gerund} VM ${vm.name}`, vmId: vm.id, hostId: vm.hostId };
    },
    async prepare({ tx }, p) {
      const vm = await loadVm(tx, p.vmId);
      return { vm, host: vm.host! };
    },
    async onHost(ctx, _p, { vm, host }) {
      await ctx.hosts[v.command](host, vm.id);
    },
    execute: async (_ctx, _p, marked) => marked,
    audit: ({ vm, host }) => ({ code: v.audit, vars: { vmName: vm.name, hostName: host.name }, objects: { vmId: vm.id, hostId: host.id, clusterId: vm.clusterId } }),
    follow: (ctx, _p, { vm }): Promise<FollowOutcome> => followStatus(ctx.engine, vm.id, v.until, v.gerund),
  };
}

export const pauseVm = vmVerb({ type: 'PauseVm', verb: 'pause', gerund: 'Pausing', from: ['UP'], command: 'pause', until: ['PAUSED'], audit: 'USER_PAUSE_VM' });
export const resumeVm = vmVerb({ type: 'ResumeVm', verb: 'resume', gerund: 'Resuming', from: ['PAUSED'], command: 'resume', until: ['UP'], audit: 'USER_RESUME_VM' });
export const rebootVm = vmVerb({ type: 'RebootVm', verb: 'reboot', gerund: 'Rebooting', from: ['UP'], command: 'reboot', until: ['REBOOT_IN_PROGRESS', 'UP'], audit: 'USER_REBOOT_VM' });
export const suspendVm = vmVerb({ type: 'HibernateVm', verb: 'suspend', gerund: 'Suspending', from: ['UP', 'PAUSED'], command: 'hibernate', until: ['SUSPENDED'], audit: 'USER_SUSPEND_VM' });
