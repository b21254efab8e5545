// The definition a host runs a VM from (protocol DomainSpec): CPU topology, memory, console, and
// the VM's active disks (volumes on their storage domains, which the host resolves; boot disk first) and NICs (on a
// bridge named after their network where the host carries that network, else user-mode); its custom
// properties (its hooks' environment), guaranteed memory and whether MOM may inflate its balloon; its
// CD-ROM drive with its ISO image; boot positions in the order of its boot sequence.
import type { BootDevice, DisplayType } from '../../../../generated/prisma/enums.ts';
import type { DomainSpec, KernelBoot } from '../../../../protocol/messages.ts';
import type { Tx } from '../../../db.ts';
import { volumeRef } from '../../../storage/volumeRef.ts';
import { vmProperties } from '../../../validators/customProperties.ts';
import { bridgeOf } from '../nic/nicOnHost.ts';
import { cdromMedium } from '../../../validators/vmCdrom.ts';
import { configDrive, type Initialization } from '../cloudInit.ts';

interface VmRow {
  id: string;
  name: string;
  memoryMb: number;
  cpuSockets: number;
  cpuCores: number;
  cpuThreads: number;
  osType: string;
  displayType: DisplayType;
  guaranteedMemoryMb: number;
  ballooningEnabled: boolean;
  customProperties: unknown;
  leaseStorageDomainId: string | null;
  cdromImageId: string | null;
  bootDevices: BootDevice[];
  initialization: unknown;
  initializationPasswordSealed: string | null;
}

export async function domainSpec(
  tx: Tx,
  vm: VmRow,
  hostId: string,
  leaseTimeoutMs: number,
  kernel?: KernelBoot | null,
  /** Opens the sealed initialization password (the engine's SecretBox). */
  secrets?: { open(sealed: string): string },
): Promise<DomainSpec> {
  const [attachments, nics, hostNetworks, leaseDomain, medium] = await Promise.all([
    tx.diskAttachment.findMany({
      where: { vmId: vm.id, active: true },
      include: { disk: { select: { id: true, imageId: true, format: true, storageDomain: { select: { id: true, path: true } } } } },
      orderBy: [{ bootable: 'desc' }, { diskId: 'asc' }],
    }),
    tx.vmNic.findMany({
      where: { vmId: vm.id, plugged: true },
      include: { network: { select: { name: true } } },
      orderBy: { name: 'asc' },
    }),
    tx.hostNetworkAttachment.findMany({ where: { hostId }, select: { networkId: true } }),
    vm.leaseStorageDomainId
      ? tx.storageDomain.findUnique({ where: { id: vm.leaseStorageDomainId }, select: { id: true, path: true } })
      : null,
    cdromMedium(tx, vm.cdromImageId),
  ]);
  const onHost = new Set(hostNetworks.map((n) => n.networkId));
  const bootDisk = attachments.find((a) => a.bootable);
  // Positions in the boot sequence's order, for the devices it names that the VM has.
  const has: Record<BootDevice, boolean> = { DISK: !!bootDisk, CDROM: !!medium, NETWORK: nics.length > 0 };
  const order = new Map(vm.bootDevices.filter((d) => has[d]).map((d, i) => [d, i + 1]));
  const position = (d: BootDevice) => (order.has(d) ? { bootOrder: order.get(d)! } : {});
  return {
    id: vm.id,
    name: vm.name,
    memoryMb: vm.memoryMb,
    vcpus: vm.cpuSockets * vm.cpuCores * vm.cpuThreads,
    sockets: vm.cpuSockets,
    cores: vm.cpuCores,
    threads: vm.cpuThreads,
    osType: vm.osType,
    display: vm.displayType,
    displayWebsocket: vm.displayType === 'VNC',
    disks: attachments.map((a) => ({
      id: a.disk.id,
      volume: volumeRef(a.disk.storageDomain, a.disk),
      format: a.disk.format === 'COW' ? ('qcow2' as const) : ('raw' as const),
      interface: a.interface,
      ...(a === bootDisk ? position('DISK') : {}),
    })),
    nics: nics.map((n, i) => ({
      mac: n.macAddress,
      model: n.interface,
      bridge: bridgeOf(n, onHost),
      linked: n.linked,
      ...(i === 0 ? position('NETWORK') : {}),
    })),
    cdrom: { medium, ...position('CDROM') },
    ...(vm.initialization
      ? {
          configDrive: configDrive(
            vm,
            vm.initialization as Initialization,
            vm.initializationPasswordSealed && secrets ? secrets.open(vm.initializationPasswordSealed) : null,
          ),
        }
      : {}),
    ...(kernel ? { kernel } : {}),
    guaranteedMemoryMb: Math.min(vm.guaranteedMemoryMb, vm.memoryMb),
    ballooning: vm.ballooningEnabled,
    customProperties: vmProperties(vm.customProperties),
    ...(leaseDomain ? { lease: { domainId: leaseDomain.id, domainPath: leaseDomain.path, timeoutMs: leaseTimeoutMs } } : {}),
  };
}
