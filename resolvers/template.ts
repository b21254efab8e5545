import { builder } from '../schema/builder.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { ImageStatus, SortDirection } from '../schema/types/enums.ts';
import { searchText } from '../schema/inputs.ts';
import { SEARCH_FIELD, searched } from '../schema/search.ts';
import { TEMPLATE_SEARCH } from '../server/search/templateSearch.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import type { Context } from '../schema/context.ts';
import { visible } from '../server/auth/permissions.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const Filter = builder.inputType('TemplateFilter', {
  fields: (t) => ({
    nameContains: t.string({ required: false, validate: searchText }),
    search: t.string(SEARCH_FIELD),
    cluster: t.id({ required: false }),
    status: t.field({ type: [ImageStatus], required: false }),
  }),
});
const SortField = builder.enumType('TemplateSortField', {
  values: { NAME: { value: 'name' }, MEMORY: { value: 'memoryMb' }, CREATED_AT: { value: 'createdAt' } } as const,
});

async function where(ctx: Context, f: typeof Filter.$inferInput | null | undefined): Promise<Prisma.TemplateWhereInput> {
  const v = await ctx.visibility();
  const filter: Prisma.TemplateWhereInput = {
    AND: searched(TEMPLATE_SEARCH, f?.search),
    name: contains(f?.nameContains),
    clusterId: optionalLocalId(f?.cluster as string, 'Cluster', 'filter.cluster'),
    status: f?.status ? { in: f.status } : undefined,
  };
  return and(filter, visible.template(v));
}

builder.queryField('templates', (t) =>
  t.prismaConnection({
    type: 'Template',
    cursor: 'id',
    description: 'Templates, by name (then version) unless sorted otherwise.',
    args: {
      filter: t.arg({ type: Filter, required: false }),
      sortBy: t.arg({ type: SortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const dir: Prisma.SortOrder = args.direction === 'DESC' ? 'desc' : 'asc';
      const order: Prisma.TemplateOrderByWithRelationInput[] = args.sortBy
        ? orderBy(args.sortBy, args.direction, 'name')
        : [{ name: dir }, { version: dir }, { id: dir }];
      return ctx.db.template.findMany({ ...query, where: await where(ctx, args.filter), orderBy: order });
    },
    totalCount: async (_c, args, ctx) => ctx.db.template.count({ where: await where(ctx, args.filter) }),
  }),
);
