import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { ValidationError } from '../../errors.ts';
import { description, nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';
import { pathNotAllowed } from '../../storage/storageRoots.ts';
import { connectionOf, reachedByHosts } from '../../storage/domainConnections.ts';
import { mountOptionsProblem, nfsExportProblem } from '../../storage/nfsExports.ts';
import { reconnectDataCenter } from '../../storage/reconnectHosts.ts';

/**
 * Adds a storage domain. Local and POSIX domains (a directory on the hosts) and NFS exports (which
 * the hosts mount) are reached by the hosts of their data center: at least one Up host must reach
 * the path, and the domain's size and use are what that host measures (then what the hosts
 * report). A domain added with a declared capacity (NFS, iSCSI, FCP, GlusterFS) is a label.
 */
export const addStorageDomain = defineAction({
  type: 'AddStorageDomain',
  title: 'add Storage Domain',
  actionGroup: 'CREATE_STORAGE_DOMAIN',
  subject: (p) => (p.dataCenterId ? { type: 'DATA_CENTER', id: p.dataCenterId } : SYSTEM),
  params: z.object({
    name: objectName,
    description: description.optional(),
    dataCenterId: nodeId('DataCenter', 'dataCenter').optional().describe('Attach to this data center (it becomes Active).'),
    domainType: z.enum(['DATA', 'ISO', 'EXPORT']).meta({ graphql: 'StorageDomainType' }).default('DATA'),
    storageType: z.enum(['NFS', 'ISCSI', 'FCP', 'LOCALFS', 'POSIXFS', 'GLUSTERFS']).meta({ graphql: 'StorageType' }).default('NFS'),
    path: z
      .string()
      .min(1)
      .max(1024)
      .describe(
        'A directory on the hosts (LOCALFS, POSIXFS: under an allowed storage root), an NFS export (server:/path) or an iSCSI target.',
      ),
    mountOptions: z
      .string()
      .max(200)
      .default('')
      .describe('NFS mount options the hosts add, comma-separated (port=, mountport=, vers=, timeo=, retrans=, soft, nolock…).'),
    capacityBytes: z
      .bigint()
      .positive('must be positive')
      .optional()
      .describe(
        'Declared size of a domain no host reaches, which the engine only labels (iSCSI, FCP, GlusterFS; NFS when given). Domains the hosts reach report their own.',
      ),
  }),
  locks: (p) => [lockKey('StorageDomainName', p.name), ...(p.dataCenterId ? [lockKey('DataCenter', p.dataCenterId)] : [])],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    if (p.dataCenterId) found(await tx.dataCenter.findUnique({ where: { id: p.dataCenterId } }), 'Data Center', p.dataCenterId);
    const byHosts = reachedByHosts(p.storageType, p.capacityBytes !== undefined);
    const nfs = byHosts && p.storageType === 'NFS';
    return [
      nameFree((await tx.storageDomain.count({ where: { name: p.name } })) > 0, 'Storage Domain', p.name),
      refuseWhen(
        !byHosts && p.capacityBytes === undefined,
        'STORAGE_CAPACITY_REQUIRED',
        `A ${p.storageType} storage domain needs its declared capacityBytes.`,
      ),
      refuseWhen(
        byHosts && !p.dataCenterId,
        'STORAGE_DOMAIN_NEEDS_DATA_CENTER',
        `A ${p.storageType} storage domain is reached by the hosts of a data center; name the data center.`,
      ),
      nfs ? nfsExportProblem(p.path) : byHosts ? pathNotAllowed(p.path) : null,
      nfs ? mountOptionsProblem(p.mountOptions) : null,
      refuseWhen(!nfs && p.mountOptions !== '', 'STORAGE_MOUNT_OPTIONS_NOT_ALLOWED', 'Mount options are for NFS domains the hosts mount.'),
      byHosts
        ? refuseWhen(
            (await tx.storageDomain.count({ where: { path: p.path, reachedByHosts: true } })) > 0,
            'STORAGE_PATH_IN_USE',
            `The path ${p.path} is already another storage domain's.`,
          )
        : null,
    ];
  },
  /** A host of the data center must reach the directory (or mount the export); it measures the file system's size and free space. */
  async onHost({ engine, hosts }, p) {
    if (!reachedByHosts(p.storageType, p.capacityBytes !== undefined) || !p.dataCenterId) return null;
    const candidates = (
      await engine.db.host.findMany({
        where: { cluster: { dataCenterId: p.dataCenterId }, status: 'UP' },
        select: { id: true, name: true },
        orderBy: { name: 'asc' },
      })
    ).filter((h) => hosts.isConnected(h.id));
    const refusals: string[] = [];
    for (const host of candidates) {
      // Any id names the directory: nothing is written by a probe.
      const domain = connectionOf({ id: crypto.randomUUID(), path: p.path, storageType: p.storageType, mountOptions: p.mountOptions });
      const health = await hosts.storage(host, { type: 'probeStorageDomain', domain });
      if (health.reachable)
        return { capacityBytes: BigInt(health.capacityBytes), usedBytes: BigInt(health.capacityBytes - health.freeBytes) };
      refusals.push(`${host.name}: ${health.error ?? 'unreachable'}`);
    }
    throw new ValidationError('add Storage Domain', [
      {
        code: 'STORAGE_DOMAIN_UNREACHABLE',
        message: candidates.length
          ? `No host of the data center can reach ${p.path} (${refusals.join('; ')}).`
          : `No host of the data center is Up with its agent connected to reach ${p.path}.`,
      },
    ]);
  },
  async execute({ tx, publish, engine, afterCommit }, p, _marked, measured) {
    // Attached to a data center it becomes active; the first data domain there is the master.
    const master =
      !!p.dataCenterId &&
      p.domainType === 'DATA' &&
      (await tx.storageDomain.count({ where: { dataCenterId: p.dataCenterId, master: true } })) === 0;
    const sd = await tx.storageDomain.create({
      data: {
        ...p,
        reachedByHosts: !!measured,
        capacityBytes: measured?.capacityBytes ?? p.capacityBytes!,
        usedBytes: measured?.usedBytes ?? 0n,
        master,
        status: p.dataCenterId ? 'ACTIVE' : 'UNATTACHED',
      },
    });
    if (master) await tx.dataCenter.update({ where: { id: p.dataCenterId }, data: { status: 'UP' } });
    publish('storageDomain:changed', { id: sd.id, kind: 'created' });
    // The data center's hosts connect the new domain and report its health from then on.
    if (measured && p.dataCenterId) {
      const dataCenterId = p.dataCenterId;
      afterCommit(() => reconnectDataCenter(engine, dataCenterId));
    }
    return sd;
  },
  audit: (sd) => ({
    code: 'USER_ADD_STORAGE_DOMAIN',
    vars: { storageDomainName: sd.name },
    objects: { storageDomainId: sd.id, dataCenterId: sd.dataCenterId },
  }),
  api: {
    mutation: 'addStorageDomain',
    description: 'Add a storage domain, optionally attached to a data center.',
    payload: { field: 'storageDomain', type: 'StorageDomain' },
  },
});
