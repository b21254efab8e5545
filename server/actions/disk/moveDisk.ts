// oVirt's MoveDisk (offline): the SPM copies the disk's image folder, every volume of its snapshot
// chain as it is, to the target domain; the rows follow it and the source folder is removed after
// the commit. The VMs it is attached to are Down and held IMAGE_LOCKED meanwhile. A thin disk over
// a template's base image cannot leave the template's domain.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { copyImage } from '../../storage/copyVolumes.ts';
import { removeVolumes } from '../../storage/hostVolumes.ts';
import { account } from './volumes.ts';
import { diskObjects } from './diskChecks.ts';
import { diskWithChain, lockImages, placementChecks, placementJob, unlockImages } from './diskPlacement.ts';

const chainBytes = (chain: { actualSizeBytes: bigint }[]) => chain.reduce((sum, v) => sum + v.actualSizeBytes, 0n);

export const moveDisk = defineAction({
  type: 'MoveDisk',
  title: 'move Disk',
  actionGroup: 'EDIT_DISK_PROPERTIES',
  subject: (p) => ({ type: 'DISK', id: p.diskId }),
  params: z.object({
    diskId: nodeId('Disk', 'id'),
    storageDomainId: nodeId('StorageDomain', 'storageDomain').describe('A data domain of the same data center.'),
  }),
  locks: (p) => [lockKey('Disk', p.diskId), lockKey('StorageDomain', p.storageDomainId)],
  objects: (p) => ({ storageDomainId: p.storageDomainId }),
  async validate({ tx }, p) {
    const { disk, chain } = await diskWithChain(tx, p.diskId);
    const bottom = chain[chain.length - 1]!;
    return [
      refuseWhen(
        disk.storageDomainId === p.storageDomainId,
        'DISK_ALREADY_ON_STORAGE_DOMAIN',
        `Disk ${disk.alias} is already on Storage Domain ${disk.storageDomain.name}.`,
      ),
      refuseWhen(
        bottom.parentId !== null,
        'DISK_BASED_ON_TEMPLATE',
        `Disk ${disk.alias} is a thin volume over a template's disk on Storage Domain ${disk.storageDomain.name}; copy it instead (a copy is standalone).`,
      ),
      ...(await placementChecks(tx, disk, chain, p.storageDomainId, chainBytes(chain))),
    ];
  },
  job: (tx, p) => placementJob(tx, p, 'Moving'),
  prepare: (ctx, p) => lockImages(ctx, p),
  /** The SPM copies the image folder; the copy is removed again if the action fails later. */
  async onHost({ engine, compensate }, p) {
    const disk = await engine.db.disk.findUniqueOrThrow({ where: { id: p.diskId }, include: { storageDomain: true } });
    const target = await engine.db.storageDomain.findUniqueOrThrow({ where: { id: p.storageDomainId } });
    await copyImage(
      engine,
      { dataCenterId: disk.storageDomain.dataCenterId!, title: 'move Disk' },
      { source: disk.storageDomain, target, diskId: disk.id },
      compensate,
    );
  },
  async execute(ctx, p) {
    const { tx, engine, publish, afterCommit } = ctx;
    const { disk, chain } = await diskWithChain(tx, p.diskId);
    const source = disk.storageDomain;
    const bytes = chainBytes(chain);
    await tx.disk.updateMany({ where: { id: { in: chain.map((v) => v.id) } }, data: { storageDomainId: p.storageDomainId } });
    await account(tx, source.id, -bytes);
    await account(tx, p.storageDomainId, bytes);
    await unlockImages(ctx, disk);
    publish('storageDomain:changed', { id: source.id, kind: 'updated' });
    publish('storageDomain:changed', { id: p.storageDomainId, kind: 'updated' });
    // The source image after the commit: the rows now say the disk is on the target.
    afterCommit(() => removeVolumes(engine, source.dataCenterId!, [{ domain: source, diskId: disk.id }]));
    const moved = await tx.disk.findUniqueOrThrow({ where: { id: disk.id }, include: { storageDomain: true } });
    return { disk: moved, vmId: disk.attachments[0]?.vmId ?? null };
  },
  audit: ({ disk, vmId }) => ({
    code: 'USER_MOVED_DISK_FINISHED_SUCCESS',
    vars: { diskAlias: disk.alias, storageDomainName: disk.storageDomain.name },
    objects: diskObjects(disk, vmId),
  }),
  api: {
    mutation: 'moveDisk',
    description:
      'Move a disk, with its snapshot volumes, to another data domain of its data center (its VMs Down); a Job while the SPM copies.',
    payload: { field: 'disk', type: 'Disk' },
    result: (r) => r.disk,
  },
});
