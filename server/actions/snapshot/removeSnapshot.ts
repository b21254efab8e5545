// oVirt's RemoveSnapshot: cold merge for a Down VM, live merge (RemoveSnapshotSingleDiskLive) for a running one.
import { defineAction } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { account, deleteMemoryVolume, volumeId } from '../disk/volumes.ts';
import { snapshotDisks } from './snapshotTree.ts';
import { chainRef, mergeVolumes } from '../../storage/chainVolumes.ts';
import { imageOf } from '../../storage/volumeRef.ts';
import { common, snapshotParams, vmLock, vmObjects, vmOf, vmSubject } from './checks.ts';

const RUNNING = ['UP', 'PAUSED'];

/**
 * The rows follow one disk's merge: the volume above the snapshot's takes its place in the chain
 * (and, merged live, its file), with both volumes' data, and the snapshot's volume goes.
 */
async function applyMerge(tx: Tx, volumeId: string, live: boolean): Promise<void> {
  const volume = await tx.disk.findUniqueOrThrow({ where: { id: volumeId } });
  const above = await tx.disk.findFirstOrThrow({ where: { parentId: volume.id } });
  const sum = volume.actualSizeBytes + above.actualSizeBytes;
  const merged = !volume.sparse ? above.provisionedSizeBytes : sum < above.provisionedSizeBytes ? sum : above.provisionedSizeBytes;
  // Merged into the bottom of the disk's own chain, the data lives in a volume of the bottom's kind.
  const bottom = volume.parentId === null || (await tx.disk.findUniqueOrThrow({ where: { id: volume.parentId } })).templateId !== null;
  await tx.disk.update({
    where: { id: above.id },
    data: {
      parentId: volume.parentId,
      actualSizeBytes: merged,
      ...(bottom ? { format: volume.format, sparse: volume.sparse } : {}),
      // A live merge leaves the data in the lower volume's file.
      ...(live ? { imageId: imageOf(volume) } : {}),
    },
  });
  await tx.disk.delete({ where: { id: volume.id } });
  await account(tx, volume.storageDomainId, merged - sum);
}

/**
 * Removes a snapshot by merging its volume of each disk with the volume above it. A Down VM's
 * volumes merge on the SPM (cold merge: the upper volume is committed into the snapshot's, whose
 * file takes the upper one's name); a running VM's on its host while the guest runs (live merge,
 * the hypervisor's block commit), and the merged data stays in the snapshot volume's file, which
 * the upper volume's row names from then on. The merged volume takes the data of both, so its
 * actual size grows by what the removed volume held, up to the virtual size; the difference is
 * freed on the domain. Disks merge one at a time; when one fails, those merged before it keep
 * their new chains (their rows follow at once), the snapshot stays with the others' volumes, and
 * removing it again merges what is left. Runs as a Job.
 */
export const removeSnapshot = defineAction({
  type: 'RemoveSnapshot',
  title: 'remove Snapshot',
  actionGroup: 'MANIPULATE_VM_SNAPSHOTS',
  subject: vmSubject,
  params: snapshotParams,
  locks: vmLock,
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const { vm, reasons } = await common(tx, p, { down: false });
    const running = RUNNING.includes(vm.status);
    return [
      refuseWhen(
        vm.status !== 'DOWN' && !running,
        'VM_STATUS_ILLEGAL',
        `VM ${vm.name} is ${vm.status}; removing a snapshot needs it Down, Up or Paused.`,
      ),
      refuseWhen(running && !vm.hostId, 'VM_STATUS_ILLEGAL', `VM ${vm.name} is ${vm.status} but on no host.`),
      ...reasons,
    ];
  },
  async job(tx, p) {
    const vm = await vmOf(tx, p.vmId);
    const snapshot = await tx.snapshot.findUniqueOrThrow({ where: { id: p.snapshotId } });
    return { description: `Removing Snapshot ${snapshot.description} of VM ${vm.name}`, vmId: vm.id };
  },
  /** The files merge first: on the running VM's host (live), else on the SPM (cold). */
  async onHost({ engine, hosts }, p) {
    const vm = await engine.db.vm.findUniqueOrThrow({
      where: { id: p.vmId },
      select: { status: true, host: { select: { id: true, name: true } }, cluster: { select: { dataCenterId: true } } },
    });
    const attachments = await engine.db.diskAttachment.findMany({
      where: { vmId: p.vmId, disk: { shareable: false } },
      select: { disk: { include: { storageDomain: true } } },
    });
    const merges = [];
    attachments.sort((a, b) => a.disk.alias.localeCompare(b.disk.alias));
    for (const { disk } of attachments) {
      const volume = await engine.db.disk.findUnique({ where: { id: volumeId(p.snapshotId, disk.id) } });
      const above = volume && (await engine.db.disk.findFirst({ where: { parentId: volume.id } }));
      if (volume && above) merges.push({ domain: disk.storageDomain, diskId: disk.id, volume, above });
    }
    const live = RUNNING.includes(vm.status) && !!vm.host;
    const done: string[] = [];
    try {
      for (const m of merges) {
        if (live)
          await hosts.merge(vm.host!, p.vmId, [
            { top: chainRef(m.domain, m.diskId, m.above), base: chainRef(m.domain, m.diskId, m.volume), active: m.above.id === m.diskId },
          ]);
        else await mergeVolumes(engine, vm.cluster.dataCenterId, 'remove Snapshot', [m]);
        done.push(m.volume.id);
      }
    } catch (e) {
      // What merged stays merged: the rows say so, so the chains the engine knows are those on disk.
      if (done.length)
        await engine.db.$transaction(async (tx) => {
          for (const id of done) await applyMerge(tx, id, live);
        });
      throw e;
    }
    return { live };
  },
  async execute(ctx, p, _marked, { live }) {
    const { tx } = ctx;
    const vm = await vmOf(tx, p.vmId);
    const snapshot = await tx.snapshot.findUniqueOrThrow({ where: { id: p.snapshotId } });
    for (const disk of await snapshotDisks(tx, vm.id)) {
      const volume = await tx.disk.findUnique({ where: { id: volumeId(snapshot.id, disk.id) } });
      if (volume) await applyMerge(tx, volume.id, live);
    }
    await deleteMemoryVolume(tx, snapshot.id);
    await tx.snapshot.updateMany({ where: { parentId: snapshot.id }, data: { parentId: snapshot.parentId } });
    await tx.snapshot.delete({ where: { id: snapshot.id } });
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { vm, snapshot };
  },
  audit: ({ vm, snapshot }) => ({
    code: 'USER_REMOVE_SNAPSHOT',
    vars: { snapshotDescription: snapshot.description, vmName: vm.name },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'removeSnapshot',
    description:
      'Remove a snapshot, merging its volumes with the ones above them (a Down VM on the storage manager host, a running one live on its host); a Job while they merge.',
    payload: { field: 'removed', type: 'Removed' },
    result: (r) => ({ typename: 'Snapshot', id: r.snapshot.id }),
  },
});
