// Hosts whose last applied report changed nothing: "settled". A report that says the same again
// (same domains in the same states, nothing said once) is judged against the same view, so it
// would change nothing either and needs no transaction: its samples are all it brings. The view
// is the host's row and its VMs' rows, and every change to them is published after its commit
// (vm:changed, host:changed, network and cluster changes): each such event unsettles the hosts it
// may concern, and a transaction that began before the event does not settle its host.
import type { Db } from '../db.ts';
import type { PubSub, Topic } from '../pubsub.ts';
import type { AgentReport } from '../../protocol/messages.ts';

/** When a host's transaction began, in changes seen: it settles the host only if none came since. */
export interface SettleMark {
  all: number;
  host: number;
}

export class SettledHosts {
  private readonly reports = new Map<string, AgentReport>();
  /** Changes seen per host, and for every host at once (network and cluster changes). */
  private readonly changes = new Map<string, number>();
  private allChanges = 0;
  /** Per VM, the settled hosts whose view holds it. */
  private readonly vmHosts = new Map<string, Set<string>>();
  private readonly hostVms = new Map<string, string[]>();
  private readonly streams: AsyncIterator<{ id: string }>[] = [];

  constructor(
    private readonly db: Db,
    pubsub: PubSub,
  ) {
    this.follow(pubsub, 'host:changed', (id) => this.unsettle(id));
    this.follow(pubsub, 'vm:changed', (id) => this.vmChanged(id));
    const everyHost = () => {
      this.allChanges++;
      this.reports.clear();
      this.vmHosts.clear();
      this.hostVms.clear();
    };
    this.follow(pubsub, 'network:changed', everyHost);
    this.follow(pubsub, 'cluster:changed', everyHost);
  }

  /** The report a settled host last had applied, or undefined. */
  settledReport(hostId: string): AgentReport | undefined {
    return this.reports.get(hostId);
  }

  /** Taken before a host's transaction reads its view. */
  mark(hostId: string): SettleMark {
    return { all: this.allChanges, host: this.changes.get(hostId) ?? 0 };
  }

  /** The transaction begun at `mark` changed nothing: the host is settled on `report`, unless a change came meanwhile. */
  settle(hostId: string, mark: SettleMark, report: AgentReport, viewVms: string[]) {
    if (mark.all !== this.allChanges || mark.host !== (this.changes.get(hostId) ?? 0)) return;
    this.dropIndex(hostId);
    this.reports.set(hostId, report);
    this.hostVms.set(hostId, viewVms);
    for (const vm of viewVms) {
      const hosts = this.vmHosts.get(vm) ?? new Set<string>();
      hosts.add(hostId);
      this.vmHosts.set(vm, hosts);
    }
  }

  /** Something of the host (or its VMs) changed, or is about to: its next report is applied in a transaction. */
  unsettle(hostId: string) {
    this.changes.set(hostId, (this.changes.get(hostId) ?? 0) + 1);
    this.reports.delete(hostId);
    this.dropIndex(hostId);
  }

  async stop() {
    await Promise.all(this.streams.map((s) => s.return?.()));
  }

  /** The hosts whose view held the VM, and those it is on or going to now (it may be new to them). */
  private vmChanged(vmId: string) {
    for (const h of [...(this.vmHosts.get(vmId) ?? [])]) this.unsettle(h);
    void this.db.vm
      .findUnique({ where: { id: vmId }, select: { hostId: true, migratingToHostId: true } })
      .then((vm) => {
        if (vm?.hostId) this.unsettle(vm.hostId);
        if (vm?.migratingToHostId) this.unsettle(vm.migratingToHostId);
      })
      .catch(() => {
        // Unknown where it is: no host is trusted to be unchanged.
        this.allChanges++;
        this.reports.clear();
      });
  }

  private dropIndex(hostId: string) {
    for (const vm of this.hostVms.get(hostId) ?? []) {
      const hosts = this.vmHosts.get(vm);
      hosts?.delete(hostId);
      if (hosts?.size === 0) this.vmHosts.delete(vm);
    }
    this.hostVms.delete(hostId);
  }

  private follow(
    pubsub: PubSub,
    topic: Topic & ('host:changed' | 'vm:changed' | 'network:changed' | 'cluster:changed'),
    on: (id: string) => void,
  ) {
    const stream = pubsub.subscribe(topic)[Symbol.asyncIterator]();
    this.streams.push(stream);
    void (async () => {
      for (;;) {
        const next = await stream.next();
        if (next.done) return;
        on(next.value.id);
      }
    })();
  }
}

/**
 * The newer report says exactly what the older one said of every domain's state (same domains,
 * same states and exit reasons, the same hypervisor error) and neither carries news said once
 * (a migration's progress or failure): applied on the same view, it decides the same.
 */
export function sameState(older: AgentReport, newer: AgentReport): boolean {
  if (older.hypervisorError !== newer.hypervisorError || older.domains.length !== newer.domains.length) return false;
  const before = new Map(older.domains.map((d) => [d.id, d]));
  return newer.domains.every((d) => {
    const o = before.get(d.id);
    return (
      !!o &&
      o.state === d.state &&
      o.exitReason === d.exitReason &&
      d.migrationProgress === undefined &&
      d.migrationError === undefined &&
      o.migrationProgress === undefined &&
      o.migrationError === undefined
    );
  });
}
