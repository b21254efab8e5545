// What the quick verbs on a running VM (pause, resume, reboot, suspend; one file each) have in common:
// one agent command each, the status then follows the agent's reports; the Job ends when monitoring sees it.
import { z } from 'zod';
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import type { AuditCode } from '../../../audit/auditLogTypes.ts';
import { lockKey } from '../../locks.ts';
import { nodeId } from '../../../validators/params.ts';
import type { FollowOutcome, ActionDefinition } from '../../defineAction.ts';
import { followStatus } from './followVm.ts';
import { loadVm, type LoadedVm } from './loadVm.ts';
import { notExternal, vmStatusIn } from './vmStatusChecks.ts';
import { vmJobApi } from './vmJobApi.ts';

const params = z.object({ vmId: nodeId('Vm', 'id') });
type Params = z.infer<typeof params>;
export interface VmOnHost {
  vm: LoadedVm;
  host: { id: string; name: string };
}

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
  /** The mutation that offers it, and its description. */
  mutation: string;
  description: string;
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
      return [vmStatusIn(vm, v.from, `${v.verb} it`), notExternal(vm)];
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
    audit: ({ vm, host }) => ({
      code: v.audit,
      vars: { vmName: vm.name, hostName: host.name },
      objects: { vmId: vm.id, hostId: host.id, clusterId: vm.clusterId },
    }),
    follow: (ctx, _p, { vm }): Promise<FollowOutcome> => followStatus(ctx.engine, vm.id, v.until, v.gerund),
    api: vmJobApi(v.mutation, v.description),
  };
}
