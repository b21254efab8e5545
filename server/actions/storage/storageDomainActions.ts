import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { description, id, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';

export const addStorageDomain = defineAction({
  type: 'AddStorageDomain',
  title: 'add Storage Domain',
  actionGroup: 'CREATE_STORAGE_DOMAIN',
  subject: (p) => (p.dataCenterId ? { type: 'DATA_CENTER', id: p.dataCenterId } : SYSTEM),
  params: z.object({
    name: objectName,
    description: description.optional(),
    dataCenterId: id.optional(),
    domainType: z.enum(['DATA', 'ISO', 'EXPORT']).default('DATA'),
    storageType: z.enum(['NFS', 'ISCSI', 'FCP', 'LOCALFS', 'POSIXFS', 'GLUSTERFS']).default('NFS'),
    path: z.string().min(1).max(1024),
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
    const master = !!p.dataCenterId && p.domainType === 'DATA'
      && (await tx.storageDomain.count({ where: { dataCenterId: p.dataCenterId, master: true } })) === 0;
    const sd = await tx.storageDomain.create({ data: { ...p, master, status: p.dataCenterId ? 'ACTIVE' : 'UNATTACHED' } });
    if (master) await tx.dataCenter.update({ where: { id: p.dataCenterId }, data: { status: 'UP' } });
    publish('storageDomain:changed', { id: sd.id, kind: 'created' });
    return sd;
  },
  audit: (sd) => ({ code: 'USER_ADD_STORAGE_DOMAIN', vars: { storageDomainName: sd.name }, objects: { storageDomainId: sd.id, dataCenterId: sd.dataCenterId } }),
});

export const updateStorageDomain = defineAction({
  type: 'UpdateStorageDomain',
  title: 'update Storage Domain',
  actionGroup: 'EDIT_STORAGE_DOMAIN_CONFIGURATION',
  subject: (p) => ({ type: 'STORAGE_DOMAIN', id: p.storageDomainId }),
  params: z.object({ storageDomainId: id, name: objectName.optional(), description: description.optional() }),
  locks: (p) => [lockKey('StorageDomain', p.storageDomainId)],
  objects: (p) => ({ storageDomainId: p.storageDomainId }),
  async validate({ tx }, p) {
    found(await tx.storageDomain.findUnique({ where: { id: p.storageDomainId } }), 'Storage Domain', p.storageDomainId);
    const taken = p.name ? await tx.storageDomain.count({ where: { name: p.name, id: { not: p.storageDomainId } } }) : 0;
    return [nameFree(taken > 0, 'Storage Domain', p.name ?? '')];
  },
  async execute({ tx, publish }, { storageDomainId, ...data }) {
    const sd = await tx.storageDomain.update({ where: { id: storageDomainId }, data });
    publish('storageDomain:changed', { id: sd.id, kind: 'updated' });
    return sd;
  },
  audit: (sd) => ({ code: 'USER_UPDATE_STORAGE_DOMAIN', vars: { storageDomainName: sd.name }, objects: { storageDomainId: sd.id, dataCenterId: sd.dataCenterId } }),
});

export const removeStorageDomain = defineAction({
  type: 'RemoveStorageDomain',
  title: 'remove Storage Domain',
  actionGroup: 'DELETE_STORAGE_DOMAIN',
  subject: (p) => ({ type: 'STORAGE_DOMAIN', id: p.storageDomainId }),
  params: z.object({ storageDomainId: id }),
  locks: (p) => [lockKey('StorageDomain', p.storageDomainId)],
  objects: (p) => ({ storageDomainId: p.storageDomainId }),
  async validate({ tx }, p) {
    const sd = found(await tx.storageDomain.findUnique({ where: { id: p.storageDomainId }, include: { _count: { select: { disks: true } } } }),
      'Storage Domain', p.storageDomainId);
    const others = sd.dataCenterId ? await tx.storageDomain.count({ where: { dataCenterId: sd.dataCenterId, id: { not: sd.id } } }) : 0;
    return [
      refuseWhen(sd._count.disks > 0, 'STORAGE_DOMAIN_HAS_DISKS', `Storage Domain ${sd.name} still holds ${sd._count.disks} disk(s).`),
      refuseWhen(sd.master && others > 0, 'STORAGE_DOMAIN_IS_MASTER',
        `Storage Domain ${sd.name} is the master domain of its data center, which has other domains; it is removed last.`),
    ];
  },
  async execute({ tx, publish }, p) {
    const sd = await tx.storageDomain.delete({ where: { id: p.storageDomainId } });
    if (sd.master && sd.dataCenterId) await tx.dataCenter.update({ where: { id: sd.dataCenterId }, data: { status: 'UNINITIALIZED' } });
    publish('storageDomain:changed', { id: sd.id, kind: 'removed' });
    return sd;
  },
  audit: (sd) => ({ code: 'USER_REMOVE_STORAGE_DOMAIN', vars: { storageDomainName: sd.name }, objects: { dataCenterId: sd.dataCenterId } }),
});
