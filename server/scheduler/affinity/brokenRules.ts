// PURE: which affinity rules of a VM a host would break if the VM ran there, each with its
// group named and a sentence a user reads (oVirt's VmAffinityFilterPolicyUnit and
// VmToHostAffinityFilterPolicyUnit, and their weight counterparts).
import type { HostCandidate, VmDemand } from '../types.ts';

export type AffinityRuleKind = 'VMS_TOGETHER' | 'VMS_APART' | 'ON_HOSTS' | 'NOT_ON_HOSTS';

export interface BrokenRule {
  group: string;
  kind: AffinityRuleKind;
  enforcing: boolean;
  /** The reason code: AFFINITY_ and the kind. */
  code: string;
  message: string;
}

const RULE_WORDS: Record<AffinityRuleKind, string> = {
  VMS_TOGETHER: 'VMs together',
  VMS_APART: 'VMs apart',
  ON_HOSTS: 'VMs on its hosts',
  NOT_ON_HOSTS: 'VMs not on its hosts',
};

/** How a rule is named in messages: `affinity group db (VMs apart, hard)`. */
export function ruleName(group: string, kind: AffinityRuleKind, enforcing: boolean): string {
  return `affinity group ${group} (${RULE_WORDS[kind]}, ${enforcing ? 'hard' : 'soft'})`;
}

function broken(group: string, kind: AffinityRuleKind, enforcing: boolean, message: string): BrokenRule {
  return { group, kind, enforcing, code: `AFFINITY_${kind}`, message };
}

/** The rules of `vm` that placing it on `host` would break (hard and soft). */
export function brokenRules(host: Pick<HostCandidate, 'id' | 'name'>, vm: VmDemand): BrokenRule[] {
  const out: BrokenRule[] = [];
  for (const a of vm.affinity) {
    if (a.vms) {
      const { positive, enforcing, peers } = a.vms;
      const others = peers.filter((p) => p.vmId !== vm.id);
      if (positive && others.length && !others.some((p) => p.hostId === host.id)) {
        const where = [...new Set(others.map((p) => p.hostName))].join(', ');
        const kind = 'VMS_TOGETHER';
        out.push(
          broken(
            a.group,
            kind,
            enforcing,
            `host ${host.name} runs no VM of ${ruleName(a.group, kind, enforcing)}; ${others.map((p) => p.vmName).join(', ')} run on ${where}.`,
          ),
        );
      }
      const here = others.filter((p) => p.hostId === host.id);
      if (!positive && here.length) {
        const kind = 'VMS_APART';
        out.push(
          broken(
            a.group,
            kind,
            enforcing,
            `host ${host.name} runs ${here.map((p) => p.vmName).join(', ')} of ${ruleName(a.group, kind, enforcing)}.`,
          ),
        );
      }
    }
    if (a.hosts) {
      const { positive, enforcing, hostIds } = a.hosts;
      const member = hostIds.includes(host.id);
      if (positive && !member) {
        const kind = 'ON_HOSTS';
        out.push(broken(a.group, kind, enforcing, `host ${host.name} is not a host of ${ruleName(a.group, kind, enforcing)}.`));
      }
      if (!positive && member) {
        const kind = 'NOT_ON_HOSTS';
        out.push(broken(a.group, kind, enforcing, `host ${host.name} is a host of ${ruleName(a.group, kind, enforcing)}.`));
      }
    }
  }
  return out;
}
