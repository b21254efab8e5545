import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId, optionalLocalId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { StorageDomainRef } from '../schema/types/storageDomain.ts';
import { SortDirection, StorageDomainStatus, StorageDomainType, StorageType } from '../schema/types/enums.ts';
import { addStorageDomain, removeStorageDomain, updateStorageDomain } from '../server/actions/storage/storageDomainActions.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('StorageDomainFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    status: t.field({ type: [StorageDomainStatus], required: false }),
    domainType: t.field({ type: StorageDomainType, required: false }),
    dataCenter: t.id({ required: false }),
  }),
});
const SortField = builder.enumType('StorageDomainSortField', {
  values: { NAME: { value: 'name' }, STATUS: { value: 'status' }, CAPACITY: { value: 'capacityBytes' }, USED: { value: 'usedBytes' } } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.StorageDomainWhereInput {
  return {
    name: contains(f?.nameContains),
    status: f?.status ? { in: f.status } : undefined,
    domainType: f?.domainType ?? undefined,
    dataCenterId: optionalLocalId(f?.dataCenter as string, 'DataCenter', 'filter.dataCenter'),
  };
}

builder.queryFields((t) => ({
  storageDomains: t.prismaConnection({
    type: 'StorageDomain',
    cursor: 'id',
    args: { filter: t.arg({ type: Filter, required: false }), sortBy: t.arg({ type: SortField, required: false }), direction: t.arg({ type: SortDirection, required: false }) },
    resolve: async (query, _root, args, ctx) => ctx.db.storageDomain.findMany({ ...query, where: and(where(args.filter), visible.storageDomain(await ctx.visibility())), orderBy: orderBy(args.sortBy, args.direction, 'name') }),
    totalCount: async (_c, args, ctx) => ctx.db.storageDomain.count({ where: and(where(args.filter), visible.storageDomain(await ctx.visibility())) }),
  }),
}));

const AddInput = builder.inputType('AddStorageDomainInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    dataCenter: t.id({ required: false, description: 'Attach to this data center (it becomes Active).' }),
    domainType: t.field({ type: StorageDomainType, required: false }),
    storageType: t.field({ type: StorageType, required: false }),
    path: t.string({ required: true, description: 'NFS export, iSCSI target or local path.' }),
    capacityBytes: t.field({ type: 'Long', required: true }),
  }),
});
const UpdateInput = builder.inputType('UpdateStorageDomainInput', {
  fields: (t) => ({ id: t.id({ required: true }), name: t.string({ required: false }), description: t.string({ required: false }) }),
});
const RemoveInput = builder.inputType('RemoveStorageDomainInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addStorageDomain', {
  action: addStorageDomain, description: 'Add a storage domain, optionally attached to a data center.', input: AddInput, type: StorageDomainRef, dataField: 'storageDomain',
  params: ({ dataCenter, ...rest }) => ({ ...stripNulls(rest), dataCenterId: optionalLocalId(dataCenter as string, 'DataCenter', 'dataCenter') }),
});
actionField('updateStorageDomain', {
  action: updateStorageDomain, description: 'Edit a storage domain.', input: UpdateInput, type: StorageDomainRef, dataField: 'storageDomain',
  params: ({ id, ...rest }) => ({ ...stripNulls(rest), storageDomainId: localId(String(id), 'StorageDomain', 'id') }),
});
actionField('removeStorageDomain', {
  action: removeStorageDomain, description: 'Remove a storage domain that holds no disks.', input: RemoveInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ storageDomainId: localId(String(id), 'StorageDomain', 'id') }),
  resolve: (sd) => removed('StorageDomain', sd.id),
});
