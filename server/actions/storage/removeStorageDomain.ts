import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { reconnectDataCenter } from '../../storage/reconnectHosts.ts';

export const removeStorageDomain = defineAction({
  type: 'RemoveStorageDomain',
  title: 'remove Storage Domain',
  actionGroup: 'DELETE_STORAGE_DOMAIN',
  subject: (p) => ({ type: 'STORAGE_DOMAIN', id: p.storageDomainId }),
  params: z.object({ storageDomainId: nodeId('StorageDomain', 'id') }),
  locks: (p) => [lockKey('StorageDomain', p.storageDomainId)],
  objects: (p) => ({ storageDomainId: p.storageDomainId }),
  async validate({ tx }, p) {
    const sd = found(
      await tx.storageDomain.findUnique({ where: { id: p.storageDomainId }, include: { _count: { select: { disks: true } } } }),
      'Storage Domain',
      p.storageDomainId,
    );
    const others = sd.dataCenterId ? await tx.storageDomain.count({ where: { dataCenterId: sd.dataCenterId, id: { not: sd.id } } }) : 0;
    return [
      refuseWhen(sd._count.disks > 0, 'STORAGE_DOMAIN_HAS_DISKS', `Storage Domain ${sd.name} still holds ${sd._count.disks} disk(s).`),
      refuseWhen(
        sd.master && others > 0,
        'STORAGE_DOMAIN_IS_MASTER',
        `Storage Domain ${sd.name} is the master domain of its data center, which has other domains; it is removed last.`,
      ),
    ];
  },
  async execute({ tx, publish, engine, afterCommit }, p) {
    const sd = await tx.storageDomain.delete({ where: { id: p.storageDomainId } });
    // The hosts stop watching it (and stop being judged by it).
    const dataCenterId = sd.dataCenterId;
    if (dataCenterId && sd.reachedByHosts) afterCommit(() => reconnectDataCenter(engine, dataCenterId));
    if (sd.master && sd.dataCenterId) await tx.dataCenter.update({ where: { id: sd.dataCenterId }, data: { status: 'UNINITIALIZED' } });
    publish('storageDomain:changed', { id: sd.id, kind: 'removed' });
    return sd;
  },
  audit: (sd) => ({ code: 'USER_REMOVE_STORAGE_DOMAIN', vars: { storageDomainName: sd.name }, objects: { dataCenterId: sd.dataCenterId } }),
  api: {
    mutation: 'removeStorageDomain',
    description: 'Remove a storage domain that holds no disks.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'StorageDomain', id: r.id }),
  },
});
