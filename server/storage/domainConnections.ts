// Which storage domains the hosts reach themselves: local and POSIX domains (a directory on each
// host). A host connects to those of its data center when its agent says hello, and again whenever
// they change; it then reports their health with every report (domainHealth.ts). Other types
// (NFS, iSCSI, FCP, GlusterFS) are labels the engine keeps as declared.
import type { Db, Tx } from '../db.ts';
import type { DomainConnection } from '../../protocol/storage.ts';

export const PATH_STORAGE_TYPES = ['LOCALFS', 'POSIXFS'] as const;

/** Whether a domain of this storage type is reached by the hosts (the others are labels). */
export function reachedByHosts(storageType: string): boolean {
  return (PATH_STORAGE_TYPES as readonly string[]).includes(storageType);
}

/** The domains the hosts of a data center connect to. */
export async function dataCenterConnections(db: Db | Tx, dataCenterId: string): Promise<DomainConnection[]> {
  const domains = await db.storageDomain.findMany({
    where: { dataCenterId, storageType: { in: [...PATH_STORAGE_TYPES] }, status: { in: ['ACTIVE', 'INACTIVE'] } },
    select: { id: true, path: true },
    orderBy: { name: 'asc' },
  });
  return domains.map((d) => ({ domainId: d.id, path: d.path }));
}

/** The domains a host connects to: those of its cluster's data center. */
export async function hostConnections(db: Db | Tx, hostId: string): Promise<DomainConnection[]> {
  const host = await db.host.findUnique({ where: { id: hostId }, select: { cluster: { select: { dataCenterId: true } } } });
  return host ? dataCenterConnections(db, host.cluster.dataCenterId) : [];
}
