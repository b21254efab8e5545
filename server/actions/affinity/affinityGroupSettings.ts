// The settings addAffinityGroup and updateAffinityGroup share, and the checks of a group as a whole.
import { z } from 'zod';
import type { Db, Tx } from '../../db.ts';
import { SYSTEM, type ObjectRef } from '../../auth/objects.ts';
import type { Reason } from '../../errors.ts';
import { description, nodeId } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { AffinityPolarity } from '../../../generated/prisma/enums.ts';

const polarity = z.enum(AffinityPolarity).meta({ graphql: 'AffinityPolarity' });

export const affinityGroupSettings = {
  description: description.optional(),
  vmPolarity: polarity
    .optional()
    .describe("VM-to-VM rule: the group's VMs together (POSITIVE), apart (NEGATIVE), or no rule (DISABLED, the default)."),
  vmEnforcing: z
    .boolean()
    .optional()
    .describe('Hard: placement refuses a host that breaks the VM-to-VM rule. Soft (default): it prefers hosts that keep it.'),
  hostPolarity: polarity
    .optional()
    .describe("VM-to-host rule: the group's VMs on its hosts (POSITIVE), not on them (NEGATIVE), or no rule (DISABLED, the default)."),
  hostEnforcing: z
    .boolean()
    .optional()
    .describe('Hard: placement refuses a host that breaks the VM-to-host rule. Soft (default): a preference.'),
  vmIds: z
    .array(nodeId('Vm', 'vms'))
    .max(500)
    .optional()
    .meta({ input: 'vms' })
    .describe('The VMs of the group (all of them: the list replaces the old one).'),
  hostIds: z
    .array(nodeId('Host', 'hosts'))
    .max(500)
    .optional()
    .meta({ input: 'hosts' })
    .describe('The hosts of the VM-to-host rule (all of them: the list replaces the old one).'),
};

export interface GroupShape {
  id?: string;
  name: string;
  clusterId: string;
  vmPolarity: AffinityPolarity;
  vmEnforcing: boolean;
  hostPolarity: AffinityPolarity;
  hostEnforcing: boolean;
  vmIds: string[];
  hostIds: string[];
}

/** Members outside the cluster, a rule without its hosts, and hard rules that contradict another group's. */
export async function groupReasons(tx: Tx, g: GroupShape): Promise<(Reason | null)[]> {
  const vms = await tx.vm.findMany({ where: { id: { in: g.vmIds } }, select: { id: true, name: true, clusterId: true } });
  const hosts = await tx.host.findMany({ where: { id: { in: g.hostIds } }, select: { id: true, name: true, clusterId: true } });
  const reasons: (Reason | null)[] = [];
  for (const id of g.vmIds) {
    const vm = vms.find((v) => v.id === id);
    reasons.push(
      !vm
        ? { code: 'VM_NOT_FOUND', message: `VM ${id} does not exist.` }
        : refuseWhen(vm.clusterId !== g.clusterId, 'AFFINITY_GROUP_VM_NOT_IN_CLUSTER', `VM ${vm.name} is not in the group's cluster.`),
    );
  }
  for (const id of g.hostIds) {
    const host = hosts.find((h) => h.id === id);
    reasons.push(
      !host
        ? { code: 'HOST_NOT_FOUND', message: `Host ${id} does not exist.` }
        : refuseWhen(
            host.clusterId !== g.clusterId,
            'AFFINITY_GROUP_HOST_NOT_IN_CLUSTER',
            `Host ${host.name} is not in the group's cluster.`,
          ),
    );
  }
  reasons.push(
    refuseWhen(
      g.hostPolarity === 'POSITIVE' && !g.hostIds.length,
      'AFFINITY_GROUP_HOSTS_MISSING',
      `Affinity group ${g.name} keeps its VMs on its hosts but has none.`,
    ),
  );
  // Two hard VM-to-VM rules, one together and one apart, over two or more of the same VMs cannot both hold.
  if (g.vmEnforcing && g.vmPolarity !== 'DISABLED') {
    const others = await tx.affinityGroup.findMany({
      where: {
        clusterId: g.clusterId,
        id: g.id ? { not: g.id } : undefined,
        vmEnforcing: true,
        vmPolarity: g.vmPolarity === 'POSITIVE' ? 'NEGATIVE' : 'POSITIVE',
      },
      select: { name: true, vms: { select: { vmId: true } } },
    });
    for (const o of others) {
      const shared = o.vms.filter((m) => g.vmIds.includes(m.vmId));
      if (shared.length >= 2)
        reasons.push({
          code: 'AFFINITY_RULES_COLLISION',
          message: `Affinity group ${g.name} keeps VMs ${g.vmPolarity === 'POSITIVE' ? 'together' : 'apart'} (hard) that group ${o.name} keeps ${g.vmPolarity === 'POSITIVE' ? 'apart' : 'together'} (hard): ${shared
            .map((m) => vms.find((v) => v.id === m.vmId)?.name ?? m.vmId)
            .join(', ')}.`,
        });
    }
  }
  return reasons;
}

/** Replaces the group's VMs and hosts. */
export async function setMembers(tx: Tx, groupId: string, vmIds: string[] | undefined, hostIds: string[] | undefined) {
  if (vmIds) {
    await tx.affinityGroupVm.deleteMany({ where: { groupId } });
    await tx.affinityGroupVm.createMany({ data: [...new Set(vmIds)].map((vmId) => ({ groupId, vmId })) });
  }
  if (hostIds) {
    await tx.affinityGroupHost.deleteMany({ where: { groupId } });
    await tx.affinityGroupHost.createMany({ data: [...new Set(hostIds)].map((hostId) => ({ groupId, hostId })) });
  }
}

/** Where a group's actions are authorized: its cluster (System when it does not exist: only admins learn that). */
export async function groupSubject(p: { groupId: string }, db: Db): Promise<ObjectRef> {
  const g = await db.affinityGroup.findUnique({ where: { id: p.groupId }, select: { clusterId: true } });
  return g ? { type: 'CLUSTER', id: g.clusterId } : SYSTEM;
}
