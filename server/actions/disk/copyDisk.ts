// oVirt's CopyDisk (offline): a new floating disk on the target domain holding what the disk reads
// through its whole chain (snapshots and a template's base image collapsed; qemu-img convert on
// the SPM). The VMs it is attached to are Down and held IMAGE_LOCKED while the SPM copies.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { lockKey } from '../locks.ts';
import { nodeId, objectName } from '../../validators/params.ts';
import { copyVolumes } from '../../storage/copyVolumes.ts';
import { account, collapsedSize } from './volumes.ts';
import { diskObjects } from './diskChecks.ts';
import { diskWithChain, lockImages, placementChecks, placementJob, unlockImages } from './diskPlacement.ts';

/** What the copy takes on its domain, and its kind: that of the chain's bottom (preallocated stays preallocated). */
export async function copyOf(tx: Tx, diskId: string) {
  const { disk, chain } = await diskWithChain(tx, diskId);
  const bottom = chain[chain.length - 1]!;
  const below = bottom.parentId ? (await tx.disk.findUniqueOrThrow({ where: { id: bottom.parentId } })).actualSizeBytes : 0n;
  return { disk, chain, bytes: collapsedSize(chain, below), sparse: bottom.sparse };
}

export const copyDisk = defineAction({
  type: 'CopyDisk',
  title: 'copy Disk',
  actionGroup: 'CREATE_DISK',
  subject: (p) => ({ type: 'DISK', id: p.diskId }),
  params: z.object({
    diskId: nodeId('Disk', 'id'),
    storageDomainId: nodeId('StorageDomain', 'storageDomain').describe('A data domain of the same data center (the same one too).'),
    alias: objectName.optional().describe("The copy's alias (default: the disk's)."),
  }),
  locks: (p) => [lockKey('Disk', p.diskId), lockKey('StorageDomain', p.storageDomainId)],
  objects: (p) => ({ storageDomainId: p.storageDomainId }),
  async validate({ tx }, p) {
    const { disk, chain, bytes } = await copyOf(tx, p.diskId);
    return placementChecks(tx, disk, chain, p.storageDomainId, bytes);
  },
  job: (tx, p) => placementJob(tx, p, 'Copying'),
  prepare: (ctx, p) => lockImages(ctx, p),
  /** The SPM writes the collapsed copy as the new disk's volume (removed again if the action fails later); its id. */
  async onHost({ engine, compensate, jobId }, p) {
    const disk = await engine.db.disk.findUniqueOrThrow({ where: { id: p.diskId }, include: { storageDomain: true } });
    const { sparse } = await engine.db.$transaction((tx) => copyOf(tx, p.diskId));
    const target = await engine.db.storageDomain.findUniqueOrThrow({ where: { id: p.storageDomainId } });
    const id = randomUUID();
    await copyVolumes(
      engine,
      { dataCenterId: disk.storageDomain.dataCenterId!, title: 'copy Disk', jobId },
      [
        {
          source: { domain: disk.storageDomain, disk, format: disk.format },
          target: { domain: target, diskId: id, format: sparse ? 'COW' : 'RAW' },
        },
      ],
      compensate,
    );
    return id;
  },
  async execute(ctx, p, _marked, id) {
    const { tx, publish } = ctx;
    const { disk, bytes, sparse } = await copyOf(tx, p.diskId);
    const copy = await tx.disk.create({
      data: {
        id,
        alias: p.alias ?? disk.alias,
        description: disk.description,
        storageDomainId: p.storageDomainId,
        provisionedSizeBytes: disk.provisionedSizeBytes,
        actualSizeBytes: bytes,
        format: sparse ? 'COW' : 'RAW',
        sparse,
      },
      include: { storageDomain: true },
    });
    await account(tx, p.storageDomainId, bytes);
    await unlockImages(ctx, disk);
    publish('storageDomain:changed', { id: p.storageDomainId, kind: 'updated' });
    return { disk, copy };
  },
  audit: ({ disk, copy }) => ({
    code: 'USER_COPIED_DISK_FINISHED_SUCCESS',
    vars: { diskAlias: disk.alias, storageDomainName: copy.storageDomain.name, newDiskAlias: copy.alias },
    objects: diskObjects(copy, disk.attachments[0]?.vmId),
  }),
  api: {
    mutation: 'copyDisk',
    description:
      'Copy a disk (its snapshots and template collapsed) into a new floating disk on a data domain of its data center (its VMs Down); a Job while the SPM copies.',
    payload: { field: 'disk', type: 'Disk' },
    result: (r) => r.copy,
  },
});
