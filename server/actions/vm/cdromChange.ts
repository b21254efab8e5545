// Changing the medium in a VM's CD-ROM drive, shared by updateVm and changeVmCd: the checks, and
// the running VM's host changing it at once (put back should the action fail after).
import type { VmStatus } from '../../../generated/prisma/enums.ts';
import type { Tx } from '../../db.ts';
import type { HostContext } from '../defineAction.ts';
import { refuseWhen } from '../../validators/reasons.ts';
import { cdromImageUsable, cdromMedium, LIVE_CD_STATUSES } from '../../validators/vmCdrom.ts';
import { vmStatusIn } from './lifecycle/vmStatusChecks.ts';

export type CdChange = { cdromImageId?: string; ejectCdrom?: boolean };

/** The image the change puts in the drive (null: empties it, undefined: leaves it). */
export const cdTarget = (p: CdChange) => (p.ejectCdrom ? null : p.cdromImageId);

/** Whether the change puts another medium (or none) in the drive. */
const cdChanges = (vm: { cdromImageId: string | null }, p: CdChange) => cdTarget(p) !== undefined && cdTarget(p) !== vm.cdromImageId;

/** Why the change cannot be made to this VM (nulls: no problem). */
export async function cdChangeProblems(
  tx: Tx,
  vm: { name: string; status: VmStatus; cdromImageId: string | null; cluster: { dataCenterId: string } },
  p: CdChange,
) {
  return [
    await cdromImageUsable(tx, vm.cluster.dataCenterId, p.cdromImageId),
    refuseWhen(!!p.ejectCdrom && !!p.cdromImageId, 'CDROM_EJECT_AND_INSERT', 'Give either an ISO image for the CD-ROM or eject, not both.'),
    cdChanges(vm, p) ? vmStatusIn(vm, ['DOWN', 'SUSPENDED', ...LIVE_CD_STATUSES], 'change its CD') : null,
  ];
}

/** A running VM's host changes the medium now; the undo puts the old one back. */
export async function changeCdOnHost({ engine, hosts, compensate }: HostContext, vmId: string, p: CdChange): Promise<void> {
  const vm = await engine.db.vm.findUniqueOrThrow({ where: { id: vmId }, include: { host: true } });
  if (!cdChanges(vm, p) || !vm.host || !LIVE_CD_STATUSES.includes(vm.status)) return;
  const host = vm.host;
  const before = await cdromMedium(engine.db, vm.cdromImageId);
  await hosts.changeCd(host, vm.id, await cdromMedium(engine.db, cdTarget(p) ?? null));
  compensate(() => hosts.changeCd(host, vm.id, before));
}
