// A running VM's live merge on its host (VDSM's merge verb): for each disk, the hypervisor commits
// the top volume's data into its base while the guest runs (libvirt's block commit), then the top's
// file, out of the domain's chain, is removed. The merged data stays in the base's file.
import { rm } from 'node:fs/promises';
import type { AgentCommand } from '../../protocol/messages.ts';
import type { HypervisorDriver } from '../driver.ts';
import { volumePath } from './domainLayout.ts';
import { fileExists } from './fileExists.ts';

type MergeCommand = Extract<AgentCommand, { type: 'merge' }>;

export async function liveMerge(driver: HypervisorDriver, c: MergeCommand): Promise<void> {
  for (const m of c.merges) {
    const top = volumePath(m.top);
    const base = volumePath(m.base);
    // Volumes with metadata only (a simulated domain's) have no data to move.
    if (!(await fileExists(top)) || !(await fileExists(base))) continue;
    await driver.blockCommit(c.vmId, { top, base, active: m.active });
    await rm(top, { force: true });
  }
}
