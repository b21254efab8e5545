import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { StorageDomainStatus, StorageDomainType, StorageType } from './enums.ts';

export const StorageDomainRef = builder.prismaNode('StorageDomain', {
  authScopes: (row) => ({ visible: (v) => canSee.storageDomain(v, row) }),
  id: { field: 'id' },
  nullable: true,
  description: 'A storage domain: where disk images live (data), ISO images, or exported VMs.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    dataCenter: t.relation('dataCenter', { nullable: true }),
    domainType: t.expose('domainType', { type: StorageDomainType }),
    storageType: t.expose('storageType', { type: StorageType }),
    path: t.exposeString('path'),
    reachedByHosts: t.exposeBoolean('reachedByHosts', {
      description:
        'Whether the hosts of its data center reach the domain (open or mount its path) and measure it; false for a label with a declared size.',
    }),
    mountOptions: t.exposeString('mountOptions', { description: 'NFS mount options the hosts add.' }),
    master: t.exposeBoolean('master'),
    status: t.expose('status', { type: StorageDomainStatus }),
    capacityBytes: t.expose('capacityBytes', { type: 'Long' }),
    usedBytes: t.expose('usedBytes', { type: 'Long' }),
    freeBytes: t.field({
      type: 'Long',
      select: { capacityBytes: true, usedBytes: true },
      resolve: (sd) => sd.capacityBytes - sd.usedBytes,
    }),
    disks: t.relatedConnection('disks', { cursor: 'id', totalCount: true, query: { orderBy: [{ alias: 'asc' }, { id: 'asc' }] } }),
    isoImages: t.relatedConnection('isoImages', {
      cursor: 'id',
      totalCount: true,
      description: 'The ISO images of an ISO domain, by name.',
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
  }),
});
