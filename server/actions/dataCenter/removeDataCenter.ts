import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';

export const removeDataCenter = defineAction({
  type: 'RemoveDataCenter',
  title: 'remove Data Center',
  actionGroup: 'DELETE_STORAGE_POOL',
  subject: (p) => ({ type: 'DATA_CENTER', id: p.dataCenterId }),
  params: z.object({ dataCenterId: nodeId('DataCenter', 'id') }),
  locks: (p) => [lockKey('DataCenter', p.dataCenterId)],
  objects: (p) => ({ dataCenterId: p.dataCenterId }),
  async validate({ tx }, p) {
    const dc = found(
      await tx.dataCenter.findUnique({
        where: { id: p.dataCenterId },
        include: { _count: { select: { clusters: true, storageDomains: true } } },
      }),
      'Data Center',
      p.dataCenterId,
    );
    return [
      refuseWhen(
        dc._count.clusters > 0,
        'DATA_CENTER_HAS_CLUSTERS',
        `Data Center ${dc.name} still has ${dc._count.clusters} cluster(s); remove them first.`,
      ),
      refuseWhen(
        dc._count.storageDomains > 0,
        'DATA_CENTER_HAS_STORAGE_DOMAINS',
        `Data Center ${dc.name} still has ${dc._count.storageDomains} attached storage domain(s); detach them first.`,
      ),
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
  api: {
    mutation: 'removeDataCenter',
    description: 'Remove an empty data center (no clusters, no storage domains).',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'DataCenter', id: r.id }),
  },
});
