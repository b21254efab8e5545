// VM leases beyond power management (oVirt's VM leases on sanlock): the VMs with a lease of a
// NonResponsive host are looked at through another host of the data center, which reads their
// leases and watches them for a renewal interval. A lease still renewed means the VM may still run
// there (the host is only cut off from the engine): nothing is done, and the event says so. A lease
// past its timeout means the host stopped the VM (it kills a VM whose lease it cannot renew for
// half the timeout) or is dead: the VM is set Down and, if highly available, restarted elsewhere,
// with no fencing and no administrator's confirmation. Never while the lease is still renewed.
import type { Engine } from '../engine.ts';
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { runAction } from '../actions/runAction.ts';
import { recordEvents } from '../actions/actionEvents.ts';
import { releaseLeaseExpiredVms } from '../actions/fencing/releaseLeaseExpiredVms.ts';
import type { AuditOf } from '../actions/defineAction.ts';
import type { LeaseStatusResult } from '../../protocol/leases.ts';

export interface LeaseRestartOptions {
  /** How often NonResponsive hosts' leased VMs are looked at (default 2 s). */
  checkMs?: number;
  /** How long a host is NonResponsive before its leases are looked at (default 5 s, as fencing's grace). */
  graceMs?: number;
}

/** Hosts asked at once about a lost host's leases. */
const CHECKERS = 16;
/** The most cautious answer wins: renewed, then missing, then expired, then released. */
const RANK = { HELD: 3, MISSING: 2, EXPIRED: 1, FREE: 0 } as const;

type LeasedVm = {
  id: string;
  name: string;
  hostId: string | null;
  host: { name: string; clusterId: string; cluster: { dataCenterId: string } } | null;
  leaseStorageDomain: { id: string; name: string; path: string } | null;
};

export class LeaseRestarts {
  private readonly checkMs: number;
  private readonly graceMs: number;
  /** When each host was first found NonResponsive with leased VMs (engine clock, ms). */
  private readonly since = new Map<string, number>();
  /** What was last said of each VM or host, so a state is said once. */
  private readonly said = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private passing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly engine: Engine,
    opts: LeaseRestartOptions = {},
  ) {
    this.checkMs = opts.checkMs ?? 2000;
    this.graceMs = opts.graceMs ?? 5000;
  }

  start() {
    this.timer = setInterval(() => this.kick(), this.checkMs);
    this.timer.unref();
    this.kick();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.passing;
  }

  /**
   * Whether some VM of the host has a lease that another host sees renewed now (the host lives,
   * only cut off from the engine): fencing it would gain nothing. Null when none can tell.
   */
  async stillRenewed(hostId: string): Promise<string | null> {
    const vms = await this.leasedVms(hostId);
    for (const [, group] of byDomain(vms)) {
      const status = await this.check(hostId, group).catch(() => null);
      const held = status?.leases.find((l) => l.state === 'HELD');
      if (held)
        return `it still renews the lease of VM ${group.find((v) => v.id === held.vmId)?.name} on storage domain ${group[0]!.leaseStorageDomain!.name} (${Math.round((held.sinceRenewalMs ?? 0) / 1000)} s ago): it is alive, only cut off from the engine.`;
    }
    return null;
  }

  private kick() {
    if (this.stopped || this.passing !== null) return;
    this.passing = this.pass()
      .catch((err) => console.error('VM leases:', err))
      .finally(() => {
        this.passing = null;
      });
  }

  private leasedVms(hostId?: string): Promise<LeasedVm[]> {
    return this.engine.db.vm.findMany({
      where: {
        ...(hostId ? { hostId } : { host: { status: 'NON_RESPONSIVE' } }),
        leaseStorageDomainId: { not: null },
        status: { notIn: ['DOWN', 'SUSPENDED'] },
      },
      select: {
        id: true,
        name: true,
        hostId: true,
        host: { select: { name: true, clusterId: true, cluster: { select: { dataCenterId: true } } } },
        leaseStorageDomain: { select: { id: true, name: true, path: true } },
      },
    });
  }

  private async pass() {
    const vms = await this.leasedVms();
    const hosts = new Map<string, LeasedVm[]>();
    for (const vm of vms) hosts.set(vm.hostId!, [...(hosts.get(vm.hostId!) ?? []), vm]);
    for (const id of this.since.keys()) if (!hosts.has(id)) this.forget(id);
    const now = this.engine.now().getTime();
    for (const [hostId, list] of hosts) {
      if (this.stopped) return;
      const first = this.since.get(hostId) ?? now;
      this.since.set(hostId, first);
      if (now - first < this.graceMs) continue;
      for (const [, group] of byDomain(list)) await this.judge(hostId, group);
    }
  }

  private forget(hostId: string) {
    this.since.delete(hostId);
    for (const key of [...this.said.keys()]) if (key.startsWith(`${hostId}:`)) this.said.delete(key);
  }

  /**
   * Asks the Up hosts of the data center other than the lost one (those of its cluster first, at
   * most CHECKERS) how the group's leases (one domain) stand: each watches them, so the host a VM
   * then starts on has seen its lease stand still and takes it at once. A lease counts as expired
   * only if no host that answered saw it renewed or missing.
   */
  private async check(hostId: string, group: LeasedVm[]): Promise<LeaseStatusResult> {
    const host = group[0]!.host!;
    const candidates = await this.engine.db.host.findMany({
      where: { status: 'UP', id: { not: hostId }, cluster: { dataCenterId: host.cluster.dataCenterId } },
      select: { id: true, name: true, clusterId: true },
      orderBy: { name: 'asc' },
    });
    const checkers = candidates
      .filter((h) => this.engine.hosts.isConnected(h.id))
      .sort((a, b) => Number(b.clusterId === host.clusterId) - Number(a.clusterId === host.clusterId))
      .slice(0, CHECKERS);
    if (!checkers.length) throw new Error('no other host of the data center is Up to read them.');
    const domain = group[0]!.leaseStorageDomain!;
    const answers = await Promise.allSettled(
      checkers.map((c) =>
        this.engine.hosts.leaseStatus(
          c,
          domain,
          group.map((v) => v.id),
        ),
      ),
    );
    const got = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    if (!got.length) throw (answers[0] as PromiseRejectedResult).reason;
    const worst = new Map<string, LeaseStatusResult['leases'][number]>();
    for (const answer of got)
      for (const lease of answer.leases) {
        const before = worst.get(lease.vmId);
        if (!before || RANK[lease.state] > RANK[before.state]) worst.set(lease.vmId, lease);
      }
    return { leases: [...worst.values()] };
  }

  private async judge(hostId: string, group: LeasedVm[]) {
    const host = group[0]!.host!;
    const objects = { hostId, clusterId: host.clusterId };
    let status: LeaseStatusResult;
    try {
      status = await this.check(hostId, group);
    } catch (err) {
      const reason = (err as Error).message.replace(/\.?$/, '.');
      await this.sayOnce(`${hostId}:check`, reason, [{ code: 'VM_LEASE_CHECK_FAILED', vars: { hostName: host.name, reason }, objects }]);
      return;
    }
    this.said.delete(`${hostId}:check`);
    const domain = group[0]!.leaseStorageDomain!;
    const gone: { vmId: string; holder: string; sinceRenewalMs: number }[] = [];
    for (const lease of status.leases) {
      const vm = group.find((v) => v.id === lease.vmId);
      if (!vm) continue;
      if (lease.state === 'EXPIRED' || lease.state === 'FREE') {
        gone.push({ vmId: vm.id, holder: lease.holder ?? host.name, sinceRenewalMs: lease.sinceRenewalMs ?? 0 });
        continue;
      }
      const vars = {
        vmName: vm.name,
        hostName: host.name,
        domainName: domain.name,
        holder: lease.holder ?? 'none',
        seconds: Math.round((lease.sinceRenewalMs ?? 0) / 1000),
      };
      if (lease.state === 'HELD')
        await this.sayOnce(`${hostId}:${vm.id}`, `held by ${lease.holder}`, [
          { code: 'VM_LEASE_STILL_HELD', vars, objects: { ...objects, vmId: vm.id } },
        ]);
      else
        await this.sayOnce(`${hostId}:${vm.id}`, 'missing', [
          {
            code: 'VM_LEASE_CHECK_FAILED',
            vars: { hostName: host.name, reason: `VM ${vm.name} has no lease on storage domain ${domain.name}; nothing shows it stopped.` },
            objects: { ...objects, vmId: vm.id },
          },
        ]);
    }
    if (!gone.length || this.stopped) return;
    await runAction(this.engine, SYSTEM_ACTOR, releaseLeaseExpiredVms, { hostId, vms: gone }).catch((err) =>
      console.error(`VM leases of host ${host.name}:`, err),
    );
  }

  private async sayOnce(key: string, what: string, events: AuditOf[]) {
    if (this.said.get(key) === what) return;
    this.said.set(key, what);
    await recordEvents(this.engine, SYSTEM_ACTOR, events).catch((err) => console.error('VM leases: could not write an event:', err));
  }
}

function byDomain(vms: LeasedVm[]): Map<string, LeasedVm[]> {
  const out = new Map<string, LeasedVm[]>();
  for (const vm of vms) {
    const key = vm.leaseStorageDomain!.id;
    out.set(key, [...(out.get(key) ?? []), vm]);
  }
  return out;
}
