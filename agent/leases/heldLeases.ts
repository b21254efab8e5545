// The host's own record of the VM leases it holds (what sanlock keeps in its daemon): a small JSON
// file in the host's data dir, `agents/<host>/leases.json`, written whole (aside, then renamed) each
// time a lease is taken or let go, so an agent that restarts finds which running VMs' leases it
// must go on renewing (or kill the VM, if too long has passed).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { VmLease } from '../../protocol/leases.ts';
import { hostDataDir } from '../storage/domainLayout.ts';

const HeldRecord = z.record(z.string(), z.object({ lease: VmLease, generation: z.string() }));
export type HeldRecord = z.infer<typeof HeldRecord>;

export function heldLeasesPath(hostName: string): string {
  return path.join(hostDataDir(), 'agents', hostName, 'leases.json');
}

/** The leases the host last recorded as held, by VM (none when it never held one). */
export async function readHeldLeases(hostName: string): Promise<HeldRecord> {
  try {
    return HeldRecord.parse(JSON.parse(await readFile(heldLeasesPath(hostName), 'utf8')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
}

export async function writeHeldLeases(hostName: string, held: HeldRecord): Promise<void> {
  const file = heldLeasesPath(hostName);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(held));
  await rename(`${file}.tmp`, file);
}
