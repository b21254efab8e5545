// A running VM's snapshot on its host (VDSM's snapshot verb): each disk gets a new qcow2 overlay, a
// new file in the disk's image folder backed by the file the domain runs on (which becomes the
// snapshot's volume, unchanged), then the running domain goes on over those overlays (libvirt's
// external disk snapshot, reusing them). No file the domain has open is renamed, so libvirt's idea
// of the chain stays the files' own. If the hypervisor refuses, the new overlays are removed: nothing changed.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { AgentCommand } from '../../protocol/messages.ts';
import type { HypervisorDriver } from '../driver.ts';
import { volumePath } from './domainLayout.ts';
import { fileExists } from './fileExists.ts';
import { createOverlay } from './qemuImg.ts';

type SnapshotCommand = Extract<AgentCommand, { type: 'snapshot' }>;

export async function liveSnapshot(driver: HypervisorDriver, c: SnapshotCommand): Promise<void> {
  const made: { source: string; overlay: string }[] = [];
  try {
    for (const o of c.overlays) {
      const source = volumePath(o.volume);
      // A volume with metadata only (a simulated domain's) has no file to go on over.
      if (!(await fileExists(source))) continue;
      const overlay = volumePath({ ...o.volume, imageId: o.overlay });
      await createOverlay(overlay, path.basename(source), o.backingFormat === 'COW' ? 'qcow2' : 'raw', BigInt(o.sizeBytes));
      made.push({ source, overlay });
    }
    await driver.snapshot(c.vmId, c.description, { disks: made, memory: c.memory && volumePath(c.memory) });
  } catch (e) {
    for (const m of made) await rm(m.overlay, { force: true });
    throw e;
  }
}
