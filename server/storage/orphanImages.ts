// Images no committed disk owns: a volume is made before its disk's transaction and removed after
// the removal's commit, so an engine killed in between leaves one on the domain. After a start,
// each host of a data center with storage domains is asked, once its agent is connected, for the
// images it holds; those older than this engine process (by the host's own clock) whose disk row
// on that domain does not exist are removed, each with a WARNING event. Younger images may belong
// to actions of this engine still running, and are left alone; so is the image of a disk whose VM
// runs (an engine stopped during a live move may have left the VM running from the target's copy),
// with a WARNING event for an administrator to check where it runs from.
import type { Engine } from '../engine.ts';
import { writeAuditLog } from '../audit/auditLog.ts';
import { volumeRef } from './volumeRef.ts';

export interface OrphanSweep {
  /** Resolves when every host was swept or the wait ended: the images removed. */
  done: Promise<{ removed: number; hostsSwept: number }>;
  stop(): void;
}

/** @param startedAt when this engine process started; @param waitMs how long to wait for hosts to connect */
export function sweepOrphanImages(engine: Engine, opts: { startedAt: number; waitMs?: number; intervalMs?: number }): OrphanSweep {
  const deadline = Date.now() + (opts.waitMs ?? 600_000);
  const swept = new Set<string>();
  let stopped = false;
  let removed = 0;
  const done = (async () => {
    while (!stopped && Date.now() < deadline) {
      const hosts = await engine.db.host.findMany({
        where: { status: 'UP', cluster: { dataCenter: { storageDomains: { some: {} } } } },
        select: { id: true, name: true, cluster: { select: { dataCenterId: true } } },
      });
      for (const host of hosts.filter((h) => !swept.has(h.id) && engine.hosts.isConnected(h.id))) {
        try {
          removed += await sweepHost(engine, host, opts.startedAt);
          swept.add(host.id);
        } catch (e) {
          console.error(`orphaned images on host ${host.name} were not checked:`, e);
        }
      }
      const all = await engine.db.host.count({ where: { cluster: { dataCenter: { storageDomains: { some: {} } } } } });
      if (swept.size >= all) break;
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 2000));
    }
    return { removed, hostsSwept: swept.size };
  })();
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}

async function sweepHost(
  engine: Engine,
  host: { id: string; name: string; cluster: { dataCenterId: string } },
  startedAt: number,
): Promise<number> {
  const domains = await engine.db.storageDomain.findMany({
    where: { dataCenterId: host.cluster.dataCenterId },
    select: { id: true, name: true, path: true },
  });
  const uptime = Date.now() - startedAt;
  let removed = 0;
  for (const domain of domains) {
    const { now, images } = await engine.hosts.storage(host, {
      type: 'listImages',
      domain: { domainId: domain.id, domainPath: domain.path },
    });
    const older = images.filter((i) => now - i.modifiedAt > uptime);
    if (!older.length) continue;
    const owned = new Set(
      (
        await engine.db.disk.findMany({
          where: { id: { in: older.map((i) => i.diskId) }, storageDomainId: domain.id },
          select: { id: true },
        })
      ).map((d) => d.id),
    );
    const running = new Map(
      (
        await engine.db.disk.findMany({
          where: {
            id: { in: older.map((i) => i.diskId) },
            storageDomainId: { not: domain.id },
            attachments: { some: { vm: { status: { not: 'DOWN' } } } },
          },
          select: { id: true, alias: true, attachments: { select: { vm: { select: { name: true } } } } },
        })
      ).map((d) => [d.id, d]),
    );
    for (const image of older.filter((i) => !owned.has(i.diskId))) {
      const inUse = running.get(image.diskId);
      if (inUse) {
        const id = await writeAuditLog(engine.db, {
          code: 'IMAGE_ORPHAN_KEPT',
          userName: 'SYSTEM',
          vars: { hostName: host.name, diskAlias: inUse.alias, storageDomainName: domain.name, vmName: inUse.attachments[0]!.vm.name },
          objects: { hostId: host.id, storageDomainId: domain.id, dataCenterId: host.cluster.dataCenterId },
        });
        engine.pubsub.publish('audit:created', { id });
        continue;
      }
      await engine.hosts.storage(host, { type: 'deleteVolume', volume: volumeRef(domain, image.diskId) });
      const id = await writeAuditLog(engine.db, {
        code: 'IMAGE_ORPHAN_REMOVED',
        userName: 'SYSTEM',
        vars: { hostName: host.name, diskId: image.diskId, storageDomainName: domain.name },
        objects: { hostId: host.id, storageDomainId: domain.id, dataCenterId: host.cluster.dataCenterId },
      });
      engine.pubsub.publish('audit:created', { id });
      removed++;
    }
  }
  return removed;
}
