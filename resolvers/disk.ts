import { builder } from '../schema/builder.ts';
import { searchText } from '../schema/inputs.ts';
import { optionalLocalId } from '../schema/ids.ts';
import { and, contains, orderBy } from '../schema/sorting.ts';
import { visible } from '../server/auth/permissions.ts';
import { SortDirection } from '../schema/types/enums.ts';
import { memoryVolumeId, ownChain, volumeId } from '../server/actions/disk/volumes.ts';
import type { Db } from '../server/db.ts';
import type { Prisma } from '../generated/prisma/client.ts';

builder.prismaObjectFields('Disk', (t) => ({
  parent: t.relation('parent', {
    nullable: true,
    description: 'The volume under this one: a snapshot volume or a template disk (thin VM); null for a base volume.',
  }),
  chainActualSizeBytes: t.field({
    type: 'Long',
    description: 'Space this disk takes with its snapshot volumes (not counting a template disk it is thin over).',
    select: { id: true },
    resolve: async (d, _args, ctx) => {
      const chain = await ctx.db.$transaction(async (tx) => ownChain(tx, await tx.disk.findUniqueOrThrow({ where: { id: d.id } })));
      return chain.reduce((sum, v) => sum + v.actualSizeBytes, 0n);
    },
  }),
}));

const DiskFilter = builder.inputType('DiskFilter', {
  fields: (t) => ({
    aliasContains: t.string({ required: false, validate: searchText }),
    storageDomain: t.id({ required: false }),
    floating: t.boolean({ required: false, description: 'Only disks attached to no VM and of no template.' }),
    volumes: t.boolean({
      required: false,
      description:
        "Also list the volumes under disks: snapshot volumes and snapshots' memory dumps (left out by default, as oVirt lists disks, not volumes).",
    }),
  }),
});
const DiskSortField = builder.enumType('DiskSortField', {
  values: {
    ALIAS: { value: 'alias' },
    PROVISIONED_SIZE: { value: 'provisionedSizeBytes' },
    ACTUAL_SIZE: { value: 'actualSizeBytes' },
    CREATED_AT: { value: 'createdAt' },
  } as const,
});

async function diskWhere(db: Db, f: typeof DiskFilter.$inferInput | null | undefined): Promise<Prisma.DiskWhereInput> {
  return and(
    {
      alias: contains(f?.aliasContains),
      storageDomainId: optionalLocalId(f?.storageDomain as string, 'StorageDomain', 'filter.storageDomain'),
      attachments: f?.floating === true ? { none: {} } : f?.floating === false ? { some: {} } : undefined,
      templateId: f?.floating === true ? null : undefined,
    },
    f?.volumes ? undefined : await notVolumes(db),
  );
}

/**
 * Disks, not the volumes under them: no snapshot volume (a volume under another of no template), no
 * memory dump, and no top a preview set aside (the VM as it was before the preview, kept until it ends).
 */
async function notVolumes(db: Db): Promise<Prisma.DiskWhereInput> {
  const [withMemory, previews] = await Promise.all([
    db.snapshot.findMany({ where: { withMemory: true }, select: { id: true } }),
    db.snapshot.findMany({
      where: { type: 'PREVIEW' },
      select: { id: true, vm: { select: { diskAttachments: { select: { diskId: true } } } } },
    }),
  ]);
  const hidden = [
    ...withMemory.map((s) => memoryVolumeId(s.id)),
    ...previews.flatMap((p) => p.vm.diskAttachments.map((a) => volumeId(p.id, a.diskId))),
  ];
  return { NOT: { templateId: null, children: { some: {} } }, ...(hidden.length ? { id: { notIn: hidden } } : {}) };
}

builder.queryFields((t) => ({
  disks: t.prismaConnection({
    type: 'Disk',
    cursor: 'id',
    args: {
      filter: t.arg({ type: DiskFilter, required: false }),
      sortBy: t.arg({ type: DiskSortField, required: false }),
      direction: t.arg({ type: SortDirection, required: false }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.db.disk.findMany({
        ...query,
        where: and(await diskWhere(ctx.db, args.filter), visible.disk(await ctx.visibility())),
        orderBy: orderBy(args.sortBy, args.direction, 'alias'),
      }),
    totalCount: async (_c, args, ctx) =>
      ctx.db.disk.count({ where: and(await diskWhere(ctx.db, args.filter), visible.disk(await ctx.visibility())) }),
  }),
}));
