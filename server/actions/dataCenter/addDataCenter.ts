import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { objectName } from '../../validators/params.ts';
import { nameFree } from '../../validators/reasons.ts';
import { dataCenterSettings } from './dataCenterSettings.ts';

export const addDataCenter = defineAction({
  type: 'AddDataCenter',
  title: 'add Data Center',
  actionGroup: 'CREATE_STORAGE_POOL',
  subject: () => SYSTEM,
  params: z.object({ name: objectName, ...dataCenterSettings }),
  locks: (p) => [lockKey('DataCenterName', p.name)],
  async validate({ tx }, p) {
    const taken = await tx.dataCenter.count({ where: { name: p.name } });
    return [nameFree(taken > 0, 'Data Center', p.name)];
  },
  async execute({ tx, publish }, p) {
    const dc = await tx.dataCenter.create({ data: p });
    publish('dataCenter:changed', { id: dc.id, kind: 'created' });
    return dc;
  },
  audit: (dc) => ({ code: 'USER_ADD_STORAGE_POOL', vars: { dataCenterName: dc.name }, objects: { dataCenterId: dc.id } }),
  api: {
    mutation: 'addDataCenter',
    description: 'Create a data center.',
    payload: { field: 'dataCenter', type: 'DataCenter' },
  },
});
