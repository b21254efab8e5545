// A running VM's live disk move on its host (oVirt's LSM, VDSM's diskReplicate): the image the
// domain writes to is mirrored onto the empty image of the same name the SPM made on the target
// domain over the copied chain, and the domain pivots to it (libvirt's block copy). The source's
// files are left for the engine to remove once it has recorded the move. diskSources tells which
// image each disk runs from (an engine that restarted mid-move learns whether the VM pivoted).
import type { AgentCommand, DiskSources } from '../../protocol/messages.ts';
import type { HypervisorDriver } from '../driver.ts';
import { imageAt, volumePath } from './domainLayout.ts';
import { fileExists } from './fileExists.ts';

type BlockCopyCommand = Extract<AgentCommand, { type: 'blockCopy' }>;

export async function liveCopy(driver: HypervisorDriver, c: BlockCopyCommand): Promise<void> {
  const source = volumePath(c.copy.source);
  const dest = volumePath(c.copy.target);
  // A volume with metadata only (a simulated domain's) has no data to mirror.
  if (!(await fileExists(source))) return;
  if (!(await fileExists(dest))) throw new Error(`the target image ${dest} of the live move is missing`);
  await driver.blockCopy(c.vmId, { source, dest, format: c.copy.format === 'COW' ? 'qcow2' : 'raw', shallow: c.copy.shallow });
}

/** The image file each disk of the running VM runs from, with the domain, disk and image its path names. */
export async function diskSources(driver: HypervisorDriver, vmId: string): Promise<DiskSources> {
  const disks = await driver.diskSources(vmId);
  return {
    disks: disks.map((d) => ({
      target: d.target,
      path: d.source,
      copying: d.copying,
      ...(imageAt(d.source) ?? { domainId: null, diskId: null, imageId: null }),
    })),
  };
}
