import { builder } from '../builder.ts';
import { canSee } from '../../server/auth/permissions.ts';
import { DataCenterStatus } from './enums.ts';

export const DataCenterRef = builder.prismaNode('DataCenter', {
  authScopes: (row) => ({ visible: (v) => canSee.dataCenter(v, row) }),
  id: { field: 'id' },
  nullable: true,
  description: 'A data center: the top of the tree, owning clusters, storage domains and logical networks.',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    local: t.exposeBoolean('local', { description: 'Local storage only (one host), instead of shared storage.' }),
    compatibilityVersion: t.exposeString('compatibilityVersion'),
    status: t.expose('status', { type: DataCenterStatus }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    clusters: t.relatedConnection('clusters', { cursor: 'id', totalCount: true, query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
    storageDomains: t.relatedConnection('storageDomains', {
      cursor: 'id',
      totalCount: true,
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    networks: t.relatedConnection('networks', { cursor: 'id', totalCount: true, query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
  }),
});
