// CreateSnapshot (oVirt's CreateSnapshotForVm): every non-shareable disk of the VM gets a new COW
// overlay; a running VM's host agent is asked to take the snapshot (with its memory, if asked): the
// running file stays the snapshot's volume and the disk's row names the new overlay's file (imageId).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { chainRef, overlayTops } from '../../storage/chainVolumes.ts';
import { imageOf } from '../../storage/volumeRef.ts';
import { defineAction } from '../defineAction.ts';
import { description, nodeId } from '../../validators/params.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { account, initialThin, memoryVolumeId, volumeId } from '../disk/volumes.ts';
import { recordJob } from '../disk/recordJob.ts';
import { activeSnapshot, snapshotDisks } from './snapshotTree.ts';
import { common, overlaysFit, vmLock, vmObjects, vmOf, vmSubject } from './checks.ts';

const RUNNING = ['UP', 'PAUSED'] as const;

/** Where a memory snapshot's dump goes (oVirt: a preallocated volume of the VM's memory size): beside the first disk. */
function memoryDump(vm: { memoryMb: number }, disks: { storageDomainId: string }[]) {
  return disks[0] ? { storageDomainId: disks[0].storageDomainId, bytes: BigInt(vm.memoryMb) * (1n << 20n) } : null;
}

export const createSnapshot = defineAction({
  type: 'CreateSnapshot',
  title: 'create Snapshot',
  actionGroup: 'MANIPULATE_VM_SNAPSHOTS',
  subject: vmSubject,
  params: z.object({
    vmId: nodeId('Vm', 'vm'),
    description: description.min(1, 'must not be empty'),
    withMemory: z.boolean().default(false).describe("Also save the running VM's memory (ignored when the VM is Down)."),
  }),
  locks: vmLock,
  objects: (p) => ({ vmId: p.vmId }),
  async validate({ tx }, p) {
    const { vm, disks, reasons } = await common(tx, p, { down: false });
    const running = (RUNNING as readonly string[]).includes(vm.status);
    return [
      refuseWhen(
        vm.status !== 'DOWN' && !running,
        'VM_STATUS_ILLEGAL',
        `VM ${vm.name} is ${vm.status}; a snapshot needs it Down, Up or Paused.`,
      ),
      refuseWhen(running && !vm.hostId, 'VM_STATUS_ILLEGAL', `VM ${vm.name} is ${vm.status} but on no host.`),
      ...reasons,
      ...(await overlaysFit(tx, disks, p.withMemory && running ? memoryDump(vm, disks) : null)),
    ];
  },
  // Live snapshot: the host pivots the running domain to new overlays (and saves its memory) first.
  // A Down VM's disks get their overlays from the SPM: each top file is kept as the snapshot's volume.
  async onHost(ctx, p) {
    const vm = await ctx.engine.db.vm.findUniqueOrThrow({
      where: { id: p.vmId },
      select: { id: true, status: true, host: { select: { id: true, name: true } }, cluster: { select: { dataCenterId: true } } },
    });
    const snapshotId = randomUUID();
    const disks = await ctx.engine.db.diskAttachment.findMany({
      where: { vmId: vm.id, disk: { shareable: false } },
      select: { disk: { include: { storageDomain: true } } },
    });
    if ((RUNNING as readonly string[]).includes(vm.status) && vm.host) {
      // The file each disk runs on stays (the snapshot's volume); the domain goes on over a new overlay file on it.
      const overlays = disks.map(({ disk }) => ({
        volume: chainRef(disk.storageDomain, disk.id, disk),
        overlay: randomUUID(),
        backingFormat: disk.format,
        sizeBytes: Number(disk.provisionedSizeBytes),
      }));
      const first = disks[0]?.disk.storageDomain;
      const memory =
        p.withMemory && first ? chainRef(first, memoryVolumeId(snapshotId), { id: memoryVolumeId(snapshotId), imageId: null }) : null;
      await ctx.hosts.snapshot(vm.host, vm.id, p.description, overlays, memory);
      return {
        onHost: true,
        snapshotId,
        files: new Map(disks.map(({ disk }, i) => [disk.id, { kept: imageOf(disk), top: overlays[i]!.overlay }])),
      };
    }
    await overlayTops(
      ctx.engine,
      vm.cluster.dataCenterId,
      'create Snapshot',
      disks.map(({ disk }) => ({
        domain: disk.storageDomain,
        disk,
        sizeBytes: disk.provisionedSizeBytes,
        keepAsId: volumeId(snapshotId, disk.id),
        backing: volumeId(snapshotId, disk.id),
        backingFormat: disk.format,
      })),
      ctx.compensate,
    );
    return { onHost: false, snapshotId, files: null };
  },
  async execute(ctx, p, _marked, { onHost, snapshotId, files }) {
    const { tx, publish } = ctx;
    const vm = await vmOf(tx, p.vmId);
    const active = await activeSnapshot(tx, vm.id);
    const snapshot = await tx.snapshot.create({
      data: {
        id: snapshotId,
        vmId: vm.id,
        description: p.description,
        type: 'REGULAR',
        status: 'LOCKED',
        withMemory: p.withMemory && onHost,
        parentId: active.parentId,
      },
    });
    await tx.snapshot.update({ where: { id: active.id }, data: { parentId: snapshot.id } });
    const disks = await snapshotDisks(tx, vm.id);
    const steps: string[] = [];
    for (const disk of disks) {
      await tx.disk.update({ where: { id: disk.id }, data: { status: 'LOCKED' } });
      // The data so far freezes in a new volume under the disk; the disk becomes a fresh overlay.
      const { id: diskId, createdAt, updatedAt, ...rest } = disk;
      // Down: the old top's file was renamed after the new row's id. Live: it kept its name, and the disk names its new overlay.
      const live = files?.get(diskId);
      await tx.disk.create({ data: { ...rest, id: volumeId(snapshot.id, diskId), imageId: live?.kept ?? null, status: 'OK' } });
      const overlay = initialThin(disk.provisionedSizeBytes);
      await tx.disk.update({
        where: { id: diskId },
        data: {
          parentId: volumeId(snapshot.id, diskId),
          format: 'COW',
          sparse: true,
          actualSizeBytes: overlay,
          ...(live ? { imageId: live.top } : {}),
        },
      });
      await account(tx, disk.storageDomainId, overlay);
      steps.push(`Creating a volume of disk ${disk.alias}`);
    }
    if (onHost) {
      steps.push(p.withMemory ? 'Snapshotting the running VM with its memory on its host' : 'Snapshotting the running VM on its host');
      const memory = p.withMemory ? memoryDump(vm, disks) : null;
      if (memory) {
        await tx.disk.create({
          data: {
            id: memoryVolumeId(snapshot.id),
            alias: `${vm.name}_Memory_Dump`,
            description: `Memory of VM ${vm.name} in snapshot ${p.description}`,
            storageDomainId: memory.storageDomainId,
            format: 'RAW',
            sparse: false,
            provisionedSizeBytes: memory.bytes,
            actualSizeBytes: memory.bytes,
          },
        });
        await account(tx, memory.storageDomainId, memory.bytes);
      }
    }
    await tx.disk.updateMany({ where: { id: { in: disks.map((d) => d.id) } }, data: { status: 'OK' } });
    const done = await tx.snapshot.update({ where: { id: snapshot.id }, data: { status: 'OK' } });
    const job = await recordJob(tx, ctx.actor.userName, 'CreateSnapshot', `Creating VM Snapshot ${p.description} for VM ${vm.name}`, steps);
    publish('job:progress', { id: job, progress: 100 });
    publish('vm:changed', { id: vm.id, kind: 'updated' });
    return { vm, snapshot: done };
  },
  audit: ({ vm, snapshot }) => ({
    code: 'USER_CREATE_SNAPSHOT',
    vars: { snapshotDescription: snapshot.description, vmName: vm.name },
    objects: vmObjects(vm),
  }),
  api: {
    mutation: 'createSnapshot',
    description: "Snapshot all the VM's disks (and, with withMemory, a running VM's memory through its host agent).",
    payload: { field: 'snapshot', type: 'Snapshot' },
    result: (r) => r.snapshot,
  },
});
