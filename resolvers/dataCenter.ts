import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { actionField, RemovedRef } from '../schema/actionField.ts';
import { localId } from '../schema/ids.ts';
import { removed, stripNulls } from '../schema/inputs.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { DataCenterRef } from '../schema/types/dataCenter.ts';
import { DataCenterStatus, SortDirection } from '../schema/types/enums.ts';
import { addDataCenter, removeDataCenter, updateDataCenter } from '../server/actions/dataCenter/dataCenterActions.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('DataCenterFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    status: t.field({ type: [DataCenterStatus], required: false }),
  }),
});
const SortField = builder.enumType('DataCenterSortField', {
  values: { NAME: { value: 'name' }, STATUS: { value: 'status' }, CREATED_AT: { value: 'createdAt' } } as const,
});

function where(f: typeof Filter.$inferInput | null | undefined): Prisma.DataCenterWhereInput {
  return { name: contains(f?.nameContains), status: f?.status ? { in: f.status } : undefined };
}

builder.queryFields((t) => ({
  dataCenters: t.prismaConnection({
    type: 'DataCenter',
    cursor: 'id',
    args: {
      filter: t.arg({ type: Filter, required: false }),
      sortBy: t.arg({ type: SortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.dataCenter.findMany({ ...query, where: and(where(args.filter), visible.dataCenter(await ctx.visibility())), orderBy: orderBy(args.sortBy, args.direction, 'name') }),
    totalCount: async (_c, args, ctx) => ctx.db.dataCenter.count({ where: and(where(args.filter), visible.dataCenter(await ctx.visibility())) }),
  }),
}));

const AddInput = builder.inputType('AddDataCenterInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    local: t.boolean({ required: false, description: 'Local storage (one host) instead of shared storage.' }),
    compatibilityVersion: t.string({ required: false }),
  }),
});
const UpdateInput = builder.inputType('UpdateDataCenterInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    local: t.boolean({ required: false }),
    compatibilityVersion: t.string({ required: false }),
  }),
});
const RemoveInput = builder.inputType('RemoveDataCenterInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

actionField('addDataCenter', {
  action: addDataCenter, description: 'Create a data center.', input: AddInput, type: DataCenterRef, dataField: 'dataCenter',
  params: (i) => stripNulls(i),
});
actionField('updateDataCenter', {
  action: updateDataCenter, description: 'Edit a data center.', input: UpdateInput, type: DataCenterRef, dataField: 'dataCenter',
  params: ({ id, ...rest }) => ({ ...stripNulls(rest), dataCenterId: localId(String(id), 'DataCenter', 'id') }),
});
actionField('removeDataCenter', {
  action: removeDataCenter, description: 'Remove an empty data center (no clusters, no storage domains).',
  input: RemoveInput, type: RemovedRef, dataField: 'removed',
  params: ({ id }) => ({ dataCenterId: localId(String(id), 'DataCenter', 'id') }),
  resolve: (dc) => removed('DataCenter', dc.id),
});
