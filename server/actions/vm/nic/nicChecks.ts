// What the NIC actions check and say alike: the VM may have its NICs changed now, the NIC is the
// VM's, a name is free on the VM, and how a NIC reads in an event.
import type { VmStatus } from '../../../../generated/prisma/enums.ts';
import type { Tx } from '../../../db.ts';
import type { Reason } from '../../../errors.ts';
import { found, refuseWhen } from '../../../validators/reasons.ts';
import type { LoadedVm } from '../lifecycle/loadVm.ts';
import { notExternal, vmStatusIn } from '../lifecycle/vmStatusChecks.ts';
import type { NicState } from './nicOnHost.ts';

/** Down: the definition changes; running with a domain that takes devices: the host's too. */
const NIC_EDIT_STATUSES: readonly VmStatus[] = ['DOWN', 'UP', 'PAUSED', 'POWERING_UP'];

export function nicsEditable(vm: LoadedVm): (Reason | null)[] {
  return [vmStatusIn(vm, NIC_EDIT_STATUSES, 'change its NICs'), notExternal(vm)];
}

/** The NIC, which must be one of the VM's. */
export async function nicOf(tx: Tx, vmId: string, nicId: string) {
  return found(await tx.vmNic.findFirst({ where: { id: nicId, vmId }, include: { network: true } }), 'VmNic', nicId);
}

export async function nicNameFree(tx: Tx, vm: { id: string; name: string }, name: string | undefined, nicId?: string) {
  if (!name) return null;
  const other = await tx.vmNic.findFirst({ where: { vmId: vm.id, name, ...(nicId ? { id: { not: nicId } } : {}) } });
  return refuseWhen(!!other, 'NETWORK_INTERFACE_NAME_ALREADY_IN_USE', `VM ${vm.name} already has a NIC named ${name}.`);
}

/** "virtio, 56:6f:…, network vm-public" (or "no network"), "link down" and "unplugged" when so. */
export async function nicWords(tx: Tx, nic: NicState): Promise<string> {
  const network = nic.networkId ? await tx.network.findUnique({ where: { id: nic.networkId }, select: { name: true } }) : null;
  return [
    nic.interface.toLowerCase(),
    nic.macAddress,
    network ? `network ${network.name}` : 'no network',
    ...(nic.linked ? [] : ['link down']),
    ...(nic.plugged ? [] : ['unplugged']),
  ].join(', ');
}
