// How a change of a VM's NIC reaches its host. While the VM is Down, or the NIC is unplugged
// before and after, only the definition changes. On a running VM: a hot-plug, a hot-unplug, a
// live update (another network, the link) or, for a new model or MAC, an unplug and a plug
// (as oVirt's UpdateVmInterface does); each step is undone if a later one or the action fails.
import type { NicInterface } from '../../../../generated/prisma/enums.ts';
import type { NicSpec } from '../../../../protocol/messages.ts';
import type { Tx } from '../../../db.ts';
import type { HostContext } from '../../defineAction.ts';

/** A NIC as the definition holds it (before or after the change). */
export interface NicState {
  macAddress: string;
  interface: NicInterface;
  networkId: string | null;
  linked: boolean;
  plugged: boolean;
}

/** What the VM's host must do: the NIC as plugged there before and after (null: not there). */
export interface LivePlan {
  host: { id: string; name: string };
  vmId: string;
  before: NicSpec | null;
  after: NicSpec | null;
}

/** A NIC's network is a bridge of that name on hosts that carry it; elsewhere the NIC gets user-mode networking. */
export function bridgeOf(nic: { networkId: string | null; network?: { name: string } | null }, onHost: ReadonlySet<string>): string | null {
  return nic.networkId && onHost.has(nic.networkId) && nic.network ? nic.network.name : null;
}

/** The host work a change needs, decided in the action's first transaction; null: none. */
export async function livePlan(
  tx: Tx,
  vm: { id: string; status: string; host: { id: string; name: string } | null },
  before: NicState | null,
  after: NicState | null,
): Promise<LivePlan | null> {
  if (vm.status === 'DOWN' || !vm.host) return null;
  const hostId = vm.host.id;
  const onHost = new Set(
    (await tx.hostNetworkAttachment.findMany({ where: { hostId }, select: { networkId: true } })).map((a) => a.networkId),
  );
  const spec = async (nic: NicState | null): Promise<NicSpec | null> => {
    if (!nic?.plugged) return null;
    const network = nic.networkId ? await tx.network.findUnique({ where: { id: nic.networkId }, select: { name: true } }) : null;
    return { mac: nic.macAddress, model: nic.interface, bridge: bridgeOf({ ...nic, network }, onHost), linked: nic.linked };
  };
  const [b, a] = [await spec(before), await spec(after)];
  if (!b && !a) return null;
  if (b && a && b.mac === a.mac && b.model === a.model && b.bridge === a.bridge && b.linked === a.linked) return null;
  return { host: vm.host, vmId: vm.id, before: b, after: a };
}

/** Carries the plan out on the host, registering how to undo each step. */
export async function applyOnHost({ hosts, compensate }: HostContext, plan: LivePlan | null): Promise<void> {
  if (!plan) return;
  const { host, vmId, before, after } = plan;
  if (before && after && before.mac === after.mac && before.model === after.model) {
    await hosts.updateNic(host, vmId, after);
    compensate(() => hosts.updateNic(host, vmId, before));
    return;
  }
  if (before) {
    await hosts.hotunplugNic(host, vmId, before.mac);
    compensate(() => hosts.hotplugNic(host, vmId, before));
  }
  if (after) {
    await hosts.hotplugNic(host, vmId, after);
    compensate(() => hosts.hotunplugNic(host, vmId, after.mac));
  }
}

/** How the event tells what the host did. */
export function liveWords(plan: LivePlan | null): string {
  if (!plan) return '';
  const what =
    plan.before && plan.after
      ? plan.before.mac === plan.after.mac && plan.before.model === plan.after.model
        ? 'changed live'
        : 'unplugged and plugged again'
      : plan.after
        ? 'hot-plugged'
        : 'hot-unplugged';
  return `; ${what} on host ${plan.host.name}`;
}
