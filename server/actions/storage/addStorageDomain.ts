import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { description, nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';

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
    path: z.string().min(1).max(1024).describe('NFS export, iSCSI target or local path.'),
    capacityBytes: z.bigint().positive('must be positive'),
  }),
  locks: (p) => [lockKey('StorageDomainName', p.name), ...(p.dataCenterId ? [lockKey('DataCenter', p.dataCenterId)] : [])],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    if (p.dataCenterId) found(await tx.dataCenter.findUnique({ where: { id: p.dataCenterId } }), 'Data Center', p.dataCenterId);
    return [nameFree((await tx.storageDomain.count({ where: { name: p.name } })) > 0, 'Storage Domain', p.name)];
  },
  async execute({ tx, publish }, p) {
    // Attached to a data center it becomes active; the first data domain there is the master.
    const master =
      !!p.dataCenterId &&
      p.domainType === 'DATA' &&
      (await tx.storageDomain.count({ where: { dataCenterId: p.dataCenterId, master: true } })) === 0;
    const sd = await tx.storageDomain.create({ data: { ...p, master, status: p.dataCenterId ? 'ACTIVE' : 'UNATTACHED' } });
    if (master) await tx.dataCenter.update({ where: { id: p.dataCenterId }, data: { status: 'UP' } });
    publish('storageDomain:changed', { id: sd.id, kind: 'created' });
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
