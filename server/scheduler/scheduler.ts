// The scheduler's I/O around the pure schedule(): a snapshot of the cluster's hosts from the
// database, pending placements added in, the decision, and the promise of the chosen host's
// memory recorded before anyone else can decide.
import type { Db } from '../db.ts';
import type { Tx } from '../db.ts';
import { PendingResources, type PendingVm } from './pending.ts';
import { schedule } from './schedule.ts';
import { loadAffinity } from './affinity/loadAffinity.ts';
import type { ClusterPolicy, HostCandidate, SchedulingResult, VmDemand } from './types.ts';

export interface PlaceOptions {
  /** The host the user chose: only it is considered (and its refusal reasons reported). */
  hostId?: string | null;
  /** Hosts not to consider (a migration's source). */
  exclude?: string[];
  /** A migration: the promise is for the destination while the VM still runs on its source. */
  incoming?: boolean;
  /** false: decide only (a dry run), promise nothing. */
  reserve?: boolean;
}

export interface Placement extends SchedulingResult {
  /** Gives back the chosen host's promised memory (when the start failed, or the VM runs). */
  release(): void;
}

/** One VM of a plan that places several at once (an evacuation). */
export interface PlannedVm extends SchedulingResult {
  vmId: string;
  vmName: string;
  /** The host chosen is one of `asleep`: it must be powered on first. */
  powerOn: boolean;
}

export class Scheduler {
  readonly pending = new PendingResources();
  /** Durations of the last decisions, for benchmarks: the pure decision and with the snapshot load. */
  readonly timings = { decideMs: [] as number[], totalMs: [] as number[] };

  /** Chooses a host in the VM's cluster; on success its memory is already promised. */
  async place(db: Db | Tx, vmId: string, opts: PlaceOptions = {}): Promise<Placement> {
    const started = performance.now();
    const pendingAtQuery = this.pending.list();
    const [{ vm, cluster }] = await loadVms(db, [vmId], pendingAtQuery);
    const hosts = await loadHosts(db, cluster.id, pendingAtQuery, opts);
    const decideStarted = performance.now();
    this.countPending(hosts, pendingAtQuery, [vm.id]);
    const result = schedule(hosts, vm, cluster.policy);
    let release = () => {};
    if (result.hostId && opts.reserve !== false) {
      const promise: PendingVm = { vmId: vm.id, hostId: result.hostId, memoryMb: vm.memoryMb, incoming: !!opts.incoming };
      this.pending.add(promise);
      release = () => this.pending.remove(promise.vmId, promise.hostId);
    }
    const ended = performance.now();
    this.record(ended - decideStarted, ended - started);
    return { ...result, release };
  }

  /**
   * Places several running VMs of one cluster together, as a host's evacuation needs: the largest
   * first, each decision counted in (memory, VM count, affinity) before the next, so the plan fits
   * as a whole. `asleep`: powered-off hosts (power saving's) a VM no Up host takes may go to, as if
   * Up and empty; once one is chosen the VMs after it see it as Up. Promises nothing: each VM's
   * migration then places it on its planned host.
   */
  async planMigrations(db: Db | Tx, vmIds: string[], opts: { exclude: string[]; asleep?: string[] }): Promise<PlannedVm[]> {
    if (!vmIds.length) return [];
    const pending = this.pending.list();
    const loaded = await loadVms(db, vmIds, pending);
    const all = await loadHosts(db, loaded[0]!.cluster.id, pending, { exclude: opts.exclude, incoming: true });
    this.countPending(all, pending, vmIds);
    const sleeping = all.filter((h) => opts.asleep?.includes(h.id)).map((h) => ({ ...h, status: 'UP' as const }));
    const hosts = all.filter((h) => !opts.asleep?.includes(h.id));
    // The VMs planned are leaving where they run: for their groups, only where the plan puts them counts.
    const rules = new Set(loaded.flatMap((l) => l.vm.affinity));
    for (const r of rules) if (r.vms) r.vms.peers = r.vms.peers.filter((p) => !vmIds.includes(p.vmId));
    const plan: PlannedVm[] = [];
    const woken = new Set<string>();
    for (const { vm, cluster } of [...loaded].sort((a, b) => b.vm.memoryMb - a.vm.memoryMb || a.vm.name.localeCompare(b.vm.name))) {
      let result = schedule(hosts, vm, cluster.policy);
      if (!result.hostId && sleeping.length) {
        const awake = schedule([...hosts, ...sleeping], vm, cluster.policy);
        // A powered-off host would take it: it joins the Up ones; the refusal stays the Up hosts' otherwise.
        if (awake.hostId) {
          result = awake;
          const host = sleeping.splice(
            sleeping.findIndex((h) => h.id === awake.hostId),
            1,
          )[0]!;
          hosts.push(host);
          woken.add(host.id);
        }
      }
      plan.push({ vmId: vm.id, vmName: vm.name, ...result, powerOn: woken.has(result.hostId ?? '') });
      const host = hosts.find((h) => h.id === result.hostId);
      if (!host) continue;
      host.committedMb += vm.memoryMb;
      host.vmCount++;
      // The VMs planned after it see it where it goes (its groups' rules are shared by their VMs).
      for (const a of vm.affinity) a.vms?.peers.push({ vmId: vm.id, vmName: vm.name, hostId: host.id, hostName: host.name });
    }
    return plan;
  }

  /** Promises made for other VMs count on their hosts (the union avoids counting one twice). */
  private countPending(hosts: HostCandidate[], pendingAtQuery: PendingVm[], placing: string[]) {
    const pendingNow = new Map([...pendingAtQuery, ...this.pending.list()].map((p) => [`${p.vmId}|${p.hostId}`, p]));
    for (const p of pendingNow.values()) {
      const h = hosts.find((x) => x.id === p.hostId);
      if (h && !placing.includes(p.vmId)) {
        h.committedMb += p.memoryMb;
        h.vmCount++;
      }
    }
  }

  private record(decideMs: number, totalMs: number) {
    this.timings.decideMs.push(decideMs);
    this.timings.totalMs.push(totalMs);
    if (this.timings.decideMs.length > 10_000) {
      this.timings.decideMs.splice(0, 5_000);
      this.timings.totalMs.splice(0, 5_000);
    }
  }
}

type LoadedDemand = { vm: VmDemand; cluster: { id: string; policy: ClusterPolicy } };

/** The VMs (in the order asked) with what they need and their clusters' policies. */
export async function loadVms(db: Db | Tx, vmIds: string[], pending: PendingVm[]): Promise<[LoadedDemand, ...LoadedDemand[]]> {
  const rows = await db.vm.findMany({
    where: { id: { in: vmIds } },
    select: {
      id: true,
      name: true,
      status: true,
      memoryMb: true,
      cpuSockets: true,
      cpuCores: true,
      cpuThreads: true,
      highlyAvailable: true,
      nics: { where: { plugged: true, networkId: { not: null } }, select: { networkId: true, network: { select: { name: true } } } },
      cluster: { select: { id: true, memoryOvercommitPercent: true, schedulingPolicy: true } },
    },
  });
  const affinity = await loadAffinity(db, vmIds, pending);
  const loaded = vmIds.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new Error(`VM ${id} does not exist`);
    const networkNames = new Map(row.nics.map((n) => [n.networkId!, n.network?.name ?? n.networkId!]));
    return {
      vm: {
        id: row.id,
        name: row.name,
        memoryMb: row.memoryMb,
        vcpus: row.cpuSockets * row.cpuCores * row.cpuThreads,
        networkIds: [...networkNames.keys()],
        highlyAvailable: row.highlyAvailable,
        running: row.status !== 'DOWN' && row.status !== 'SUSPENDED',
        affinity: affinity.get(row.id) ?? [],
      },
      cluster: {
        id: row.cluster.id,
        policy: {
          memoryOvercommitPercent: row.cluster.memoryOvercommitPercent,
          schedulingPolicy: row.cluster.schedulingPolicy,
          networkNames,
        },
      },
    };
  });
  return loaded as [LoadedDemand, ...LoadedDemand[]];
}

/** The cluster's hosts with what their VMs commit (promised starts left to the caller). */
export async function loadHosts(db: Db | Tx, clusterId: string, pending: PendingVm[], opts: PlaceOptions): Promise<HostCandidate[]> {
  const all = await db.host.findMany({
    where: { clusterId, id: opts.hostId ?? undefined },
    select: {
      id: true,
      name: true,
      status: true,
      memoryMb: true,
      cpuSockets: true,
      cpuCores: true,
      networkAttachments: { select: { networkId: true } },
    },
    orderBy: { name: 'asc' },
  });
  const rows = all.filter((r) => !opts.exclude?.includes(r.id));
  // VMs promised but not yet counted by the database are added from `pending` by the caller.
  const startingIds = pending.filter((p) => !p.incoming).map((p) => p.vmId);
  const committed = await db.vm.groupBy({
    by: ['hostId'],
    where: {
      hostId: { in: rows.map((r) => r.id) },
      status: { notIn: ['DOWN', 'SUSPENDED'] },
      ...(startingIds.length ? { id: { notIn: startingIds } } : {}),
    },
    _sum: { memoryMb: true },
    _count: { _all: true },
  });
  const byHost = new Map(committed.map((c) => [c.hostId, c]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    memoryMb: r.memoryMb,
    cpuCores: r.cpuSockets * r.cpuCores,
    committedMb: byHost.get(r.id)?._sum.memoryMb ?? 0,
    vmCount: byHost.get(r.id)?._count._all ?? 0,
    networkIds: r.networkAttachments.map((n) => n.networkId),
  }));
}
