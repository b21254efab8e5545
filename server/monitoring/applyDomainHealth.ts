// A host reported the health of the storage domains it connected (agent/storage/domainHealth.ts):
// space figures come from what the host measured; a host that cannot reach one of its data
// center's domains is NonOperational (and Up again once it reaches them all); a domain no host
// that is Up reaches any more is Inactive, and Active again when a host reaches it. Only the
// domains the hosts reach themselves (domainConnections.ts) are judged so.
import type { Db } from '../db.ts';
import type { DomainHealth } from '../../protocol/storage.ts';
import type { MonitoringEvent } from './events.ts';
import { writeEvents } from './writeEvents.ts';

export interface DomainHealthOutcome {
  hostChanged: boolean;
  domainsChanged: string[];
  auditIds: string[];
}

export async function applyDomainHealth(db: Db, hostId: string, health: DomainHealth[], now: Date): Promise<DomainHealthOutcome> {
  return db.$transaction(async (tx) => {
    const host = await tx.host.findUniqueOrThrow({
      where: { id: hostId },
      select: {
        id: true,
        name: true,
        status: true,
        nonOperationalReason: true,
        clusterId: true,
        cluster: { select: { dataCenterId: true, dataCenter: { select: { name: true } } } },
      },
    });
    const dataCenterId = host.cluster.dataCenterId;
    // The hosts of a data center report side by side: each judges the domains after the others
    // committed, so the last host to lose a domain sees no Up host left and deactivates it.
    await tx.$executeRaw`SELECT 1 FROM "DataCenter" WHERE id = ${dataCenterId}::uuid FOR UPDATE`;
    const domains = await tx.storageDomain.findMany({
      where: { id: { in: health.map((h) => h.domainId) }, dataCenterId, reachedByHosts: true },
    });
    const byId = new Map(health.map((h) => [h.domainId, h]));
    const events: MonitoringEvent[] = [];
    const domainsChanged: string[] = [];
    const hostObjects = { hostId, clusterId: host.clusterId, dataCenterId };
    const lost = domains.filter((d) => !byId.get(d.id)!.reachable);

    let hostChanged = false;
    const forStorage = host.status === 'NON_OPERATIONAL' && host.nonOperationalReason === 'STORAGE_DOMAIN_UNREACHABLE';
    if (lost.length && host.status === 'UP') {
      const reason = lost.map((d) => byId.get(d.id)!.error ?? 'unreachable').join('; ');
      await tx.host.update({
        where: { id: hostId },
        data: {
          status: 'NON_OPERATIONAL',
          nonOperationalReason: 'STORAGE_DOMAIN_UNREACHABLE',
          statusReason: `Host cannot reach Storage Domain(s) ${lost.map((d) => d.name).join(', ')}: ${reason}`,
        },
      });
      events.push({
        code: 'VDS_SET_NONOPERATIONAL_DOMAIN',
        vars: {
          hostName: host.name,
          storageDomainNames: lost.map((d) => d.name).join(', '),
          dataCenterName: host.cluster.dataCenter.name,
          reason,
        },
        objects: hostObjects,
      });
      hostChanged = true;
    } else if (!lost.length && forStorage) {
      await tx.host.update({ where: { id: hostId }, data: { status: 'UP', nonOperationalReason: null, statusReason: '' } });
      events.push({ code: 'VDS_STORAGE_DOMAINS_REACHED', vars: { hostName: host.name }, objects: hostObjects });
      hostChanged = true;
    }

    // Domains no Up host reaches any more (this one is not Up when it lost one).
    const upHosts = lost.length ? await tx.host.count({ where: { cluster: { dataCenterId }, status: 'UP' } }) : 0;
    for (const d of domains) {
      const h = byId.get(d.id)!;
      const objects = { storageDomainId: d.id, dataCenterId };
      if (!h.reachable) {
        if (d.status === 'ACTIVE' && upHosts === 0) {
          await tx.storageDomain.update({ where: { id: d.id }, data: { status: 'INACTIVE' } });
          events.push({
            code: 'SYSTEM_DEACTIVATED_STORAGE_DOMAIN',
            vars: { storageDomainName: d.name, dataCenterName: host.cluster.dataCenter.name },
            objects,
          });
          domainsChanged.push(d.id);
        }
        continue;
      }
      const used = BigInt(h.capacityBytes - h.freeBytes);
      const capacity = BigInt(h.capacityBytes);
      const activate = d.status === 'INACTIVE';
      if (activate || d.capacityBytes !== capacity || d.usedBytes !== used) {
        await tx.storageDomain.update({
          where: { id: d.id },
          data: { capacityBytes: capacity, usedBytes: used, ...(activate ? { status: 'ACTIVE' } : {}) },
        });
        domainsChanged.push(d.id);
      }
      if (activate)
        events.push({ code: 'SYSTEM_ACTIVATED_STORAGE_DOMAIN', vars: { storageDomainName: d.name, hostName: host.name }, objects });
    }
    const auditIds = await writeEvents(tx, events, now);
    return { hostChanged, domainsChanged, auditIds };
  });
}
