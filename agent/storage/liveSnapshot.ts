// A running VM's snapshot on its host (VDSM's snapshot verb): each disk's top file is kept under the
// snapshot's image id and a new qcow2 overlay on it takes the top's path (as the SPM does for a Down
// VM), then the running domain goes on over those overlays (libvirt's external disk snapshot,
// reusing them). If the hypervisor refuses, every top file is put back: nothing changed.
import { access } from 'node:fs/promises';
import type { AgentCommand } from '../../protocol/messages.ts';
import type { HypervisorDriver } from '../driver.ts';
import { volumePath } from './domainLayout.ts';
import type { StorageDriver, TransferContext } from './storageDriver.ts';

type SnapshotCommand = Extract<AgentCommand, { type: 'snapshot' }>;

const hasFile = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export async function liveSnapshot(
  driver: HypervisorDriver,
  storage: StorageDriver,
  c: SnapshotCommand,
  ctx: TransferContext,
): Promise<void> {
  const made: SnapshotCommand['overlays'] = [];
  try {
    for (const o of c.overlays) {
      // A volume with metadata only (a simulated domain's) has no file to go on over.
      if (!(await hasFile(volumePath(o.volume)))) continue;
      await storage.overlayVolume(
        {
          type: 'overlayVolume',
          volume: o.volume,
          keepAs: o.keepAs,
          backing: { ...o.volume, imageId: o.keepAs },
          backingFormat: o.backingFormat,
          sizeBytes: o.sizeBytes,
        },
        ctx,
      );
      made.push(o);
    }
    await driver.snapshot(c.vmId, c.description, {
      disks: made.map((o) => volumePath(o.volume)),
      memory: c.memory && volumePath(c.memory),
    });
  } catch (e) {
    for (const o of made.reverse())
      await storage.restoreVolume({ type: 'restoreVolume', volume: o.volume, from: o.keepAs }, ctx).catch(() => {});
    throw e;
  }
}
