// Which storage domains the hosts reach themselves: local and POSIX domains (a directory on each
// host) and NFS exports the hosts mount, unless the domain was added with a declared size (a label
// no host touches, kept as declared). A host connects to those of its data center when its agent
// says hello, and again whenever they change; it then reports their health with every report
// (domainHealth.ts).
import type { Db, Tx } from '../db.ts';
import type { DomainConnection } from '../../protocol/storage.ts';

/** Whether a domain of this type, added with or without a declared size, is reached by the hosts. */
export function reachedByHosts(storageType: string, declaredSize: boolean): boolean {
  return storageType === 'LOCALFS' || storageType === 'POSIXFS' || (storageType === 'NFS' && !declaredSize);
}

/** What a host is told to connect for a domain: its directory, or the NFS export it mounts. */
export function connectionOf(d: { id: string; path: string; storageType: string; mountOptions: string }): DomainConnection {
  return d.storageType === 'NFS'
    ? { domainId: d.id, path: d.path, nfs: { mountOptions: d.mountOptions } }
    : { domainId: d.id, path: d.path };
}

/** The domains the hosts of a data center connect to. */
export async function dataCenterConnections(db: Db | Tx, dataCenterId: string): Promise<DomainConnection[]> {
  const domains = await db.storageDomain.findMany({
    where: { dataCenterId, reachedByHosts: true, status: { in: ['ACTIVE', 'INACTIVE'] } },
    select: { id: true, path: true, storageType: true, mountOptions: true },
    orderBy: { name: 'asc' },
  });
  return domains.map(connectionOf);
}

/** The domains a host connects to: those of its cluster's data center. */
export async function hostConnections(db: Db | Tx, hostId: string): Promise<DomainConnection[]> {
  const host = await db.host.findUnique({ where: { id: hostId }, select: { cluster: { select: { dataCenterId: true } } } });
  return host ? dataCenterConnections(db, host.cluster.dataCenterId) : [];
}
