// Carries out one engine command: VM verbs on the hypervisor driver, image verbs on the storage driver.
import type { AgentCommand, CdromMedium, DomainSpec } from '../protocol/messages.ts';
import type { HypervisorDriver } from './driver.ts';
import { runStorageCommand, type StorageDriver, type TransferContext } from './storage/storageDriver.ts';
import { isoPath, volumePath } from './storage/domainLayout.ts';
import type { VmLeases } from './leases/vmLeases.ts';
import { liveSnapshot } from './storage/liveSnapshot.ts';
import { liveMerge } from './storage/liveMerge.ts';
import { diskSources, liveCopy } from './storage/liveCopy.ts';
import { buildConfigDrive } from './payload/configDriveIso.ts';

/** The ISO file of a CD-ROM medium on this host. */
function mediumPath(medium: CdromMedium | null): string | null {
  return medium ? (medium.path ?? isoPath(medium)) : null;
}

/** The spec with each disk's image file and the CD-ROM's ISO file, resolved on this host. */
function withImagePaths(spec: DomainSpec): DomainSpec {
  const medium = spec.cdrom?.medium;
  return {
    ...spec,
    ...(spec.disks ? { disks: spec.disks.map((d) => (d.path || !d.volume ? d : { ...d, path: volumePath(d.volume) })) } : {}),
    ...(spec.cdrom && medium ? { cdrom: { ...spec.cdrom, medium: { ...medium, path: mediumPath(medium)! } } } : {}),
    ...(spec.memoryState ? { memoryState: { ...spec.memoryState, path: volumePath(spec.memoryState.volume) } } : {}),
  };
}

/** Resolves with what the verb answers (storage verbs), or nothing. */
export async function runCommand(
  driver: HypervisorDriver,
  storage: StorageDriver,
  leases: VmLeases,
  command: AgentCommand,
  ctx: TransferContext,
): Promise<unknown> {
  switch (command.type) {
    case 'start': {
      const spec = command.spec.configDrive
        ? {
            ...command.spec,
            configDrive: { ...command.spec.configDrive, path: await buildConfigDrive(command.spec.id, command.spec.configDrive) },
          }
        : command.spec;
      // A VM with a lease takes it first: refused while another host renews it (the VM may still run there).
      if (spec.lease) await leases.acquire(spec.id, spec.lease, command.incomingMigration);
      try {
        const xml = await driver.start(withImagePaths(spec), {
          incomingMigration: command.incomingMigration,
          restoreState: command.restoreState,
          ...(command.domainXml ? { domainXml: command.domainXml } : {}),
        });
        if (spec.lease) leases.started(spec.id);
        return typeof xml === 'string' ? { domainXml: xml } : undefined;
      } catch (e) {
        if (spec.lease) await leases.giveBack(spec.id);
        throw e;
      }
    }
    case 'describeForMigration':
      return { domainXml: await (driver.describeForMigration?.(command.vmId) ?? driver.currentDescription(command.vmId)) };
    case 'leaseStatus':
      return leases.status({ domainId: command.domainId, domainPath: command.domainPath }, command.vmIds);
    case 'destroy':
      return driver.destroy(command.vmId);
    case 'shutdown':
      return driver.shutdown(command.vmId);
    case 'pause':
      return driver.pause(command.vmId);
    case 'resume':
      return driver.resume(command.vmId);
    case 'migrate':
      return driver.migrate(command.vmId, command.destination, command.peer, command.domainXml);
    case 'cancelMigration':
      return driver.cancelMigration(command.vmId);
    case 'reboot':
      return driver.reboot(command.vmId);
    case 'hibernate':
      return driver.hibernate(command.vmId);
    case 'snapshot':
      return liveSnapshot(driver, command);
    case 'merge':
      return liveMerge(driver, command);
    case 'blockCopy':
      return liveCopy(driver, command);
    case 'diskSources':
      return diskSources(driver, command.vmId);
    case 'changeCd':
      return driver.changeCd(command.vmId, command.medium && { ...command.medium, path: mediumPath(command.medium)! });
    case 'setupNetworks':
      return driver.setupNetworks(command.layout);
    case 'hotplugNic':
      return driver.hotplugNic(command.vmId, command.nic);
    case 'hotunplugNic':
      return driver.hotunplugNic(command.vmId, command.mac);
    case 'updateNic':
      return driver.updateNic(command.vmId, command.nic);
    case 'setTicket':
      return driver.setTicket(command.vmId, command.password, command.validSeconds);
    case 'restartAgent':
      return undefined; // the session restarts itself once it has answered (agent/session.ts)
    case 'setMemoryPolicy':
      return undefined; // the session's memory manager takes it (agent/session.ts)
    default:
      return runStorageCommand(storage, command, ctx);
  }
}
