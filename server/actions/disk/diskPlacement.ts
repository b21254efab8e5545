// What moving and copying a disk between storage domains share (oVirt's MoveOrCopyDisk): the
// checks on the disk and its target, and the VMs it is attached to held IMAGE_LOCKED while the SPM
// copies (put back by the Job's compensation if the action fails or the engine dies meanwhile).
import type { Reason } from '../../errors.ts';
import type { ActionContext } from '../defineAction.ts';
import type { Tx } from '../../db.ts';
import { found, refuseWhen } from '../../validators/reasons.ts';
import { vmIsDown } from '../../validators/vmValidator.ts';
import { storageHostAvailable } from '../../storage/storageHost.ts';
import { domainsInDataCenter } from '../template/templateDomains.ts';
import { diskOf, isUserDisk, previewChecks } from './diskChecks.ts';
import { disksUsable, ownChain, roomFor } from './volumes.ts';

export type PlacedDisk = Awaited<ReturnType<typeof diskOf>>;

/** The disk and the volumes of its own chain (top first). */
export async function diskWithChain(tx: Tx, diskId: string) {
  const disk = await diskOf(tx, diskId);
  const { storageDomain: _sd, attachments: _a, ...row } = disk;
  return { disk, chain: await ownChain(tx, row) };
}

/**
 * The disk is a user's, usable, its VMs Down (or as `vmState` allows) and not previewing, and the
 * target an active data domain of its data center with room for `bytes`, with an SPM to do the copy.
 */
export async function placementChecks(
  tx: Tx,
  disk: PlacedDisk,
  chain: { alias: string; status: string }[],
  targetId: string,
  bytes: bigint,
  vmState: (vm: PlacedDisk['attachments'][number]['vm']) => Reason | null = vmIsDown,
) {
  const target = found(await tx.storageDomain.findUnique({ where: { id: targetId } }), 'Storage Domain', targetId);
  const dataCenterId = disk.storageDomain.dataCenterId;
  const vms = disk.attachments.map((a) => a.vm);
  const reasons: (Reason | null)[] = [
    await isUserDisk(tx, disk),
    disksUsable(chain),
    ...vms.map(vmState),
    ...(await previewChecks(tx, vms)),
    refuseWhen(!dataCenterId, 'STORAGE_DOMAIN_NOT_USABLE', `Storage Domain ${disk.storageDomain.name} is not attached to a data center.`),
  ];
  if (!dataCenterId) return reasons;
  const [inDataCenter] = await domainsInDataCenter(tx, [target.id], dataCenterId);
  return [
    ...reasons,
    inDataCenter ?? null,
    ...(inDataCenter ? [] : await roomFor(tx, new Map([[target.id, bytes]]))),
    await storageHostAvailable(tx, dataCenterId),
  ];
}

/**
 * The Job of a move or copy: what it does, the disk, the domain it goes to and the VM the disk is
 * attached to (what an engine restart needs to decide an interrupted live move: server/jobs/liveMoveRecovery.ts).
 */
export async function placementJob(tx: Tx, p: { diskId: string; storageDomainId: string }, doing: 'Moving' | 'Copying') {
  const disk = await diskOf(tx, p.diskId);
  const target = await tx.storageDomain.findUniqueOrThrow({ where: { id: p.storageDomainId } });
  return {
    description: `${doing} Disk ${disk.alias} to Storage Domain ${target.name}`,
    vmId: disk.attachments[0]?.vmId ?? null,
    diskId: disk.id,
    storageDomainId: target.id,
  };
}

/** Holds the disk's Down VMs IMAGE_LOCKED (with a compensation snapshot each) while the host copies. */
export async function lockImages(ctx: ActionContext, p: { diskId: string }): Promise<void> {
  const disk = await diskOf(ctx.tx, p.diskId);
  for (const { vm } of disk.attachments) {
    if (vm.status !== 'DOWN') continue; // a live move's running VM
    await ctx.snapshot('Vm', vm.id, { status: vm.status });
    await ctx.tx.vm.update({ where: { id: vm.id }, data: { status: 'IMAGE_LOCKED' } });
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
  }
}

/** Puts the disk's VMs it locked back Down once the copy is recorded. */
export async function unlockImages(ctx: ActionContext, disk: PlacedDisk): Promise<void> {
  for (const { vm } of disk.attachments) {
    if (vm.status !== 'IMAGE_LOCKED') continue;
    await ctx.tx.vm.update({ where: { id: vm.id }, data: { status: 'DOWN' } });
    ctx.publish('vm:changed', { id: vm.id, kind: 'updated' });
  }
}
