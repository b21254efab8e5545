import { builder } from '../schema/builder.ts';
import { DiskRef } from '../schema/types/disk.ts';
import { memoryVolumeId, volumeId } from '../server/actions/disk/volumes.ts';

builder.prismaObjectFields('Snapshot', (t) => ({
  children: t.relation('children', {
    query: { orderBy: { createdAt: 'asc' } },
    description: 'Snapshots taken on top of this one (the ACTIVE state among them).',
  }),
  disks: t.field({
    type: [DiskRef],
    description: "The volume of each of the VM's disks that holds this snapshot's data (for ACTIVE: the disks themselves).",
    select: { id: true, vmId: true, type: true },
    resolve: async (s, _args, ctx) => {
      const attached = await ctx.db.diskAttachment.findMany({
        where: { vmId: s.vmId, disk: { shareable: false } },
        select: { diskId: true },
      });
      const ids = attached.map((a) => (s.type === 'ACTIVE' ? a.diskId : volumeId(s.id, a.diskId)));
      return ctx.db.disk.findMany({ where: { id: { in: ids } }, orderBy: { alias: 'asc' } });
    },
  }),
  memoryDisk: t.field({
    type: DiskRef,
    nullable: true,
    description: 'The volume holding the memory of a snapshot taken with memory of a running VM.',
    select: { id: true, withMemory: true },
    resolve: (s, _args, ctx) => (s.withMemory ? ctx.db.disk.findUnique({ where: { id: memoryVolumeId(s.id) } }) : null),
  }),
}));
