import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { SYSTEM } from '../../auth/objects.ts';
import { description, id, objectName } from '../../validators/params.ts';
import { found, nameFree, refuseWhen } from '../../validators/reasons.ts';

const fields = {
  description: description.optional(),
  local: z.boolean().optional(),
  compatibilityVersion: z.string().regex(/^\d+\.\d+$/, 'must look like 4.7').optional(),
};

export const addDataCenter = defineAction({
  type: 'AddDataCenter',
  title: 'add Data Center',
  actionGroup: 'CREATE_STORAGE_POOL',
  subject: () => SYSTEM,
  params: z.object({ name: objectName, ...fields }),
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
});

export const updateDataCenter = defineAction({
  type: 'UpdateDataCenter',
  title: 'update Data Center',
  actionGroup: 'EDIT_STORAGE_POOL_CONFIGURATION',
  subject: (p) => ({ type: 'DATA_CENTER', id: p.dataCenterId }),
  params: z.object({ dataCenterId: id, name: objectName.optional(), ...fields }),
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
});

export const removeDataCenter = defineAction({
  type: 'RemoveDataCenter',
  title: 'remove Data Center',
  actionGroup: 'DELETE_STORAGE_POOL',
  subject: (p) => ({ type: 'DATA_CENTER', id: p.dataCenterId }),
  params: z.object({ dataCenterId: id }),
  locks: (p) => [lockKey('DataCenter', p.dataCenterId)],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    const dc = found(await tx.dataCenter.findUnique({ where: { id: p.dataCenterId },
      include: { _count: { select: { clusters: true, storageDomains: true } } } }), 'Data Center', p.dataCenterId);
    return [
      refuseWhen(dc._count.clusters > 0, 'DATA_CENTER_HAS_CLUSTERS',
        `Data Center ${dc.name} still has ${dc._count.clusters} cluster(s); remove them first.`),
      refuseWhen(dc._count.storageDomains > 0, 'DATA_CENTER_HAS_STORAGE_DOMAINS',
        `Data Center ${dc.name} still has ${dc._count.storageDomains} attached storage domain(s); detach them first.`),
    ];
  },
  async execute({ tx, publish }, p) {
    // Its logical networks go with it, as in oVirt.
    await tx.network.deleteMany({ where: { dataCenterId: p.dataCenterId } });
    const dc = await tx.dataCenter.delete({ where: { id: p.dataCenterId } });
    publish('dataCenter:changed', { id: dc.id, kind: 'removed' });
    return dc;
  },
  audit: (dc) => ({ code: 'USER_REMOVE_STORAGE_POOL', vars: { dataCenterName: dc.name } }),
});
