import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { found, nameFree } from '../../validators/reasons.ts';
import { dataCenterSettings } from './dataCenterSettings.ts';

export const updateDataCenter = defineAction({
  type: 'UpdateDataCenter',
  title: 'update Data Center',
  actionGroup: 'EDIT_STORAGE_POOL_CONFIGURATION',
  subject: (p) => ({ type: 'DATA_CENTER', id: p.dataCenterId }),
  params: z.object({ dataCenterId: nodeId('DataCenter', 'id'), name: objectName.optional(), ...dataCenterSettings }),
  locks: (p) => [lockKey('DataCenter', p.dataCenterId)],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    found(await tx.dataCenter.findUnique({ where: { id: p.dataCenterId } }), 'Data Center', p.dataCenterId);
    const taken = p.name ? await tx.dataCenter.count({ where: { name: p.name, id: { not: p.dataCenterId } } }) : 0;
    return [nameFree(taken > 0, 'Data Center', p.name ?? '')];
  },
  async execute({ tx, publish }, { dataCenterId, ...data }) {
    const dc = await tx.dataCenter.update({ where: { id: dataCenterId }, data });
    publish('dataCenter:changed', { id: dc.id, kind: 'updated' });
    return dc;
  },
  audit: (dc) => ({ code: 'USER_UPDATE_STORAGE_POOL', vars: { dataCenterName: dc.name }, objects: { dataCenterId: dc.id } }),
  api: {
    mutation: 'updateDataCenter',
    description: 'Edit a data center.',
    payload: { field: 'dataCenter', type: 'DataCenter' },
  },
});
