// A VM's cloud-init config drive, built on the host as VDSM builds its payload ISOs: the NoCloud
// files (user-data, meta-data, network-config) in an ISO 9660 image labelled `cidata`, made with
// genisoimage (or xorriso's mkisofs), readable by the agent alone (it holds the user's password).
// Rebuilt at each start; the libvirt domain gets it as a second CD-ROM.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ConfigDrive } from '../../protocol/messages.ts';
import { hostDataDir } from '../storage/domainLayout.ts';

const run = promisify(execFile);

/** Where a VM's config drive is kept on this host. */
export function configDrivePath(vmId: string): string {
  return path.join(hostDataDir(), 'payload', `${vmId}-cidata.iso`);
}

async function makeIso(out: string, dir: string): Promise<void> {
  const args = ['-quiet', '-o', out, '-V', 'cidata', '-J', '-r', dir];
  try {
    await run('genisoimage', args, { timeout: 60_000 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    try {
      await run('xorrisofs', args, { timeout: 60_000 });
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error('cannot build the cloud-init config drive: genisoimage is not installed on this host (package genisoimage)');
      throw e2;
    }
  }
}

/** Builds the VM's config drive; returns its path. */
export async function buildConfigDrive(vmId: string, drive: ConfigDrive): Promise<string> {
  const out = configDrivePath(vmId);
  await mkdir(path.dirname(out), { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vireo-cidata-'));
  try {
    await writeFile(path.join(dir, 'user-data'), drive.userData, { mode: 0o600 });
    await writeFile(path.join(dir, 'meta-data'), drive.metaData, { mode: 0o600 });
    if (drive.networkConfig) await writeFile(path.join(dir, 'network-config'), drive.networkConfig, { mode: 0o600 });
    await rm(out, { force: true });
    await makeIso(out, dir);
    await chmod(out, 0o600);
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
