// oVirt's MoveDisk: the SPM copies the disk's image folder, every volume of its snapshot chain as
// it is, to the target domain; the rows follow it and the source folder is removed after the
// commit. Offline, the VMs it is attached to are Down and held IMAGE_LOCKED meanwhile. Live (oVirt's
// LSM, the disk plugged into one Up VM): the SPM copies the chain under the running image and makes
// that one empty on the target over the copy, then the VM's host mirrors the running layer onto it
// and pivots (libvirt's block copy); refused or failed, the VM goes on from the source and what was
// made on the target is removed. A thin disk over a template's base image cannot leave its domain.
// The Job records the disk and the target: an engine that dies while the host mirrors leaves the
// outcome to the next start, which asks the host where the VM runs from (server/jobs/liveMoveRecovery.ts)
// and records the move as execute does (movedDisk.ts) when it pivoted.
import { z } from 'zod';
import { defineAction } from '../defineAction.ts';
import { lockKey } from '../locks.ts';
import { nodeId } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import { copyImage } from '../../storage/copyVolumes.ts';
import { imageOf, volumeRef } from '../../storage/volumeRef.ts';
import { setProgress } from '../../jobs/jobs.ts';
import { diskObjects } from './diskChecks.ts';
import { diskWithChain, lockImages, placementChecks, placementJob, unlockImages, type PlacedDisk } from './diskPlacement.ts';
import { chainBytes, recordDiskMove, removeMovedSource } from './movedDisk.ts';

type Attached = PlacedDisk['attachments'][number]['vm'];

/** A disk moves with its VMs Down, or live with the one VM it is attached to Up (on a host). */
function movableWith(vm: Attached) {
  if (vm.status === 'DOWN' || vm.status === 'IMAGE_LOCKED') return vmIsDown(vm);
  return (
    refuseWhen(
      vm.status !== 'UP',
      'VM_STATUS_ILLEGAL',
      `VM ${vm.name} is ${vm.status}; a disk moves with its VM Down, or live with it Up.`,
    ) ?? refuseWhen(!vm.hostId, 'VM_STATUS_ILLEGAL', `VM ${vm.name} is UP but on no host.`)
  );
}

/** A live move mirrors one running VM's plugged disk. */
function liveMovable(disk: PlacedDisk) {
  const running = disk.attachments.filter((a) => a.vm.status === 'UP');
  if (!running.length) return [];
  return [
    refuseWhen(
      disk.attachments.length > 1,
      'DISK_SHARED_BY_RUNNING_VM',
      `Disk ${disk.alias} is attached to more than one VM; it moves live only with a single VM.`,
    ),
    ...running.map((a) =>
      refuseWhen(
        !a.active,
        'DISK_NOT_ACTIVE',
        `Disk ${disk.alias} is not plugged into VM ${a.vm.name}; plug it in or stop the VM to move it.`,
      ),
    ),
  ];
}

export const moveDisk = defineAction({
  type: 'MoveDisk',
  title: 'move Disk',
  actionGroup: 'EDIT_DISK_PROPERTIES',
  subject: (p) => ({ type: 'DISK', id: p.diskId }),
  params: z.object({
    diskId: nodeId('Disk', 'id'),
    storageDomainId: nodeId('StorageDomain', 'storageDomain').describe('A data domain of the same data center.'),
  }),
  /** Its VMs too: nothing else (a snapshot, a migration, a stop) may act on them while their disk moves. */
  async locks(p, db) {
    const attachments = await db.diskAttachment.findMany({ where: { diskId: p.diskId }, select: { vmId: true } });
    return [lockKey('Disk', p.diskId), lockKey('StorageDomain', p.storageDomainId), ...attachments.map((a) => lockKey('Vm', a.vmId))];
  },
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
      ...liveMovable(disk),
      ...(await placementChecks(tx, disk, chain, p.storageDomainId, chainBytes(chain), movableWith)),
    ];
  },
  job: (tx, p) => placementJob(tx, p, 'Moving'),
  prepare: (ctx, p) => lockImages(ctx, p),
  /**
   * The SPM copies the image folder (the running image made empty over the copy, for a live move,
   * which the VM's host then mirrors and pivots to); the copy is removed again if the action fails
   * before the VM runs from it.
   */
  async onHost({ engine, hosts, jobId, compensate }, p) {
    const disk = await engine.db.disk.findUniqueOrThrow({
      where: { id: p.diskId },
      include: { storageDomain: true, attachments: { include: { vm: { include: { host: { select: { id: true, name: true } } } } } } },
    });
    const target = await engine.db.storageDomain.findUniqueOrThrow({ where: { id: p.storageDomainId } });
    const where = { dataCenterId: disk.storageDomain.dataCenterId!, title: 'move Disk' };
    const image = { source: disk.storageDomain, target, diskId: disk.id };
    const running = disk.attachments.find((a) => a.vm.status === 'UP')?.vm;
    if (!running?.host) {
      await copyImage(engine, where, image, compensate);
      return;
    }
    // Once the VM runs from the target, its files stay whatever fails later.
    let pivoted = false;
    const top = { imageId: imageOf(disk), format: disk.format };
    await copyImage(engine, where, { ...image, top }, (undo) =>
      compensate(async () => {
        if (!pivoted) await undo();
      }),
    );
    if (jobId) await setProgress(engine.db, engine.pubsub, jobId, 50);
    await hosts.blockCopy(running.host, running.id, {
      source: volumeRef(disk.storageDomain, disk),
      target: volumeRef(target, disk),
      format: disk.format,
      shallow: disk.parentId !== null,
    });
    pivoted = true;
    if (jobId) await setProgress(engine.db, engine.pubsub, jobId, 99);
  },
  async execute(ctx, p) {
    const { tx, engine, publish, afterCommit } = ctx;
    const { disk, source } = await recordDiskMove(tx, p.diskId, p.storageDomainId);
    await unlockImages(ctx, disk);
    publish('storageDomain:changed', { id: source.id, kind: 'updated' });
    publish('storageDomain:changed', { id: p.storageDomainId, kind: 'updated' });
    afterCommit(() => removeMovedSource(engine, source, disk.id));
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
      'Move a disk, with its snapshot volumes, to another data domain of its data center: its VMs Down, or live with the one VM it is plugged into Up (the VM pivots to the copy); a Job while the SPM copies and the host mirrors.',
    payload: { field: 'disk', type: 'Disk' },
    result: (r) => r.disk,
  },
});
