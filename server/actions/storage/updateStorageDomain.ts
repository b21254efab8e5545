import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { description, nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';

export const updateStorageDomain = defineAction({
  type: 'UpdateStorageDomain',
  title: 'update Storage Domain',
  actionGroup: 'EDIT_STORAGE_DOMAIN_CONFIGURATION',
  subject: (p) => ({ type: 'STORAGE_DOMAIN', id: p.storageDomainId }),
  params: z.object({ storageDomainId: nodeId('StorageDomain', 'id'), name: objectName.optional(), description: description.optional() }),
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
  audit: (sd) => ({
    code: 'USER_UPDATE_STORAGE_DOMAIN',
    vars: { storageDomainName: sd.name },
    objects: { storageDomainId: sd.id, dataCenterId: sd.dataCenterId },
  }),
  api: {
    mutation: 'updateStorageDomain',
    description: 'Edit a storage domain.',
    payload: { field: 'storageDomain', type: 'StorageDomain' },
  },
});
