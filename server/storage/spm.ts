// The storage manager of each data center (oVirt's SPM): one Up host of the data center, recorded
// as `Host.spm`, to which the engine sends every image operation that changes volume chains
// (storageHost.ts). It is elected when a data center with an Up host has none, and re-elected when
// it is lost (no longer Up, or its agent no longer connected), each with an event; while no host
// can be, image work is refused (NO_HOST_FOR_STORAGE). Elections of one data center run one at a
// time; host changes and a periodic check (for agents whose channel opened after they came Up)
// trigger them.
import type { Db } from '../db.ts';
import type { PubSub } from '../pubsub.ts';
import type { HostBroker } from '../agents/hostBroker.ts';
import { writeAuditLog } from '../audit/auditLog.ts';

export interface SpmHost {
  id: string;
  name: string;
}

const CHECK_EVERY_MS = 3000;

export class SpmElection {
  private readonly running = new Map<string, Promise<SpmHost | null>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly pubsub: PubSub,
    private readonly hosts: HostBroker,
  ) {
    const changes = pubsub.subscribe('host:changed')[Symbol.asyncIterator]();
    void (async () => {
      for (let next = await changes.next(); !next.done; next = await changes.next()) {
        await this.hostChanged(next.value.id).catch((e) => console.error('SPM election:', e));
      }
    })();
  }

  /** Checks every data center with an Up host now and then (tests and the engine's main start it). */
  start(everyMs = CHECK_EVERY_MS) {
    this.timer ??= setInterval(() => void this.checkAll().catch((e) => console.error('SPM election:', e)), everyMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The data center's SPM: the current one while it is Up and connected, else a newly elected one; null when no host can be. */
  spmOf(dataCenterId: string): Promise<SpmHost | null> {
    const before = this.running.get(dataCenterId) ?? Promise.resolve(null);
    const run = before.catch(() => null).then(() => this.elect(dataCenterId));
    this.running.set(dataCenterId, run);
    // Both ways (a rejected election is the caller's to handle, not an unhandled rejection here).
    const forget = () => {
      if (this.running.get(dataCenterId) === run) this.running.delete(dataCenterId);
    };
    run.then(forget, forget);
    return run;
  }

  private usable(host: { id: string; status: string }): boolean {
    return host.status === 'UP' && this.hosts.reachable(host.id);
  }

  private async hostChanged(hostId: string) {
    const host = await this.db.host.findUnique({ where: { id: hostId }, select: { cluster: { select: { dataCenterId: true } } } });
    if (host) await this.spmOf(host.cluster.dataCenterId);
  }

  private async checkAll() {
    const dcs = await this.db.dataCenter.findMany({
      where: { clusters: { some: { hosts: { some: { OR: [{ status: 'UP' }, { spm: true }] } } } } },
      select: { id: true },
    });
    for (const dc of dcs) await this.spmOf(dc.id);
  }

  private async elect(dataCenterId: string): Promise<SpmHost | null> {
    const hosts = await this.db.host.findMany({
      where: { cluster: { dataCenterId } },
      select: { id: true, name: true, status: true, spm: true },
      orderBy: { name: 'asc' },
    });
    const current = hosts.find((h) => h.spm);
    if (current && this.usable(current)) return { id: current.id, name: current.name };
    // Prefer hosts whose agent talks to this engine; with Redis, others are reached through pub/sub.
    const up = hosts.filter((h) => h.status === 'UP');
    const next = up.find((h) => this.hosts.isConnected(h.id)) ?? up.find((h) => this.hosts.reachable(h.id)) ?? null;
    if (!current && !next) return null;
    const dc = await this.db.dataCenter.findUniqueOrThrow({ where: { id: dataCenterId }, select: { name: true } });
    const objects = { dataCenterId };
    const auditIds = await this.db.$transaction(async (tx) => {
      const ids: string[] = [];
      await tx.host.updateMany({ where: { cluster: { dataCenterId }, spm: true }, data: { spm: false } });
      if (current)
        ids.push(
          await writeAuditLog(tx, {
            code: 'SPM_LOST',
            userName: 'SYSTEM',
            vars: {
              hostName: current.name,
              dataCenterName: dc.name,
              reason: current.status === 'UP' ? 'its agent is not connected' : `it is ${current.status}`,
            },
            objects: { ...objects, hostId: current.id },
          }),
        );
      if (next) {
        await tx.host.update({ where: { id: next.id }, data: { spm: true } });
        ids.push(
          await writeAuditLog(tx, {
            code: 'SPM_ELECTED',
            userName: 'SYSTEM',
            vars: { hostName: next.name, dataCenterName: dc.name },
            objects: { ...objects, hostId: next.id },
          }),
        );
      } else ids.push(await writeAuditLog(tx, { code: 'SPM_NONE', userName: 'SYSTEM', vars: { dataCenterName: dc.name }, objects }));
      return ids;
    });
    for (const h of [current, next]) if (h) this.pubsub.publish('host:changed', { id: h.id, kind: 'updated' });
    for (const id of auditIds) this.pubsub.publish('audit:created', { id });
    return next ? { id: next.id, name: next.name } : null;
  }
}
