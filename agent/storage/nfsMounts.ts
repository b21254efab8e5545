// NFS domains as VDSM mounts them: each export at `<data dir>/mnt/<server>:<export, / as _>`, with
// the kernel's NFS client where the kernel has one (`mount -t nfs`, soft as oVirt's defaults), else
// the user-space client nfsFuse.py (libnfs through FUSE; VIREO_NFS_CLIENT=kernel|userspace forces
// one). A domain's directory is then `<mount point>/<domain id>` like any file domain's.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { hostDataDir, mountTable, nfsMountPoint } from './domainLayout.ts';

const run = promisify(execFile);
const MOUNT_TIMEOUT_MS = 30_000;
/** oVirt's NFS defaults: a soft mount fails calls instead of hanging the host on a dead server. */
const KERNEL_OPTIONS = 'soft,timeo=100,retrans=3,nosharecache';
const USERSPACE_CLIENT = path.join(import.meta.dirname, 'nfsFuse.py');

export function mountRoot(): string {
  return path.join(hostDataDir(), 'mnt');
}

function useKernelClient(): boolean {
  const chosen = process.env.VIREO_NFS_CLIENT;
  if (chosen === 'kernel' || chosen === 'userspace') return chosen === 'kernel';
  return /\tnfs4?\n/.test(readFileSync('/proc/filesystems', 'utf8'));
}

/** Mounts in progress, so two probes at once do not mount an export twice. */
const mounting = new Map<string, Promise<string>>();

/** Mounts the export unless it is mounted already; throws the client's words when it cannot. */
export function mountNfs(exportAddress: string, mountOptions: string): Promise<string> {
  const point = nfsMountPoint(exportAddress);
  if (mountTable().has(point)) return Promise.resolve(point);
  const pending = mounting.get(point) ?? mountNow(exportAddress, mountOptions, point).finally(() => mounting.delete(point));
  mounting.set(point, pending);
  return pending;
}

async function mountNow(exportAddress: string, mountOptions: string, point: string): Promise<string> {
  await mkdir(point, { recursive: true });
  const options = useKernelClient() ? [KERNEL_OPTIONS, mountOptions].filter(Boolean).join(',') : mountOptions;
  const [command, args] = useKernelClient()
    ? ['mount', ['-t', 'nfs', ...(options ? ['-o', options] : []), exportAddress, point]]
    : ['/usr/bin/python3', [USERSPACE_CLIENT, exportAddress, point, ...(options ? ['-o', options] : [])]];
  try {
    await run(command, args, { timeout: MOUNT_TIMEOUT_MS });
  } catch (e) {
    await rmdir(point).catch(() => {});
    const err = e as { stderr?: string; message: string };
    throw new Error(`cannot mount ${exportAddress}: ${(err.stderr || err.message).trim()}`);
  }
  return point;
}

/** Whether the export at `point` is mounted by the user-space client, which does not reconnect to a server that came back (the kernel's does). */
export function isUserSpaceMount(point: string): boolean {
  return mountTable().get(point)?.startsWith('fuse') ?? false;
}

/** Unmounts an export (lazily: a process still holding a file lets go later) and removes its mount point. */
export async function unmountNfs(point: string): Promise<void> {
  await run('umount', ['-l', point], { timeout: MOUNT_TIMEOUT_MS }).catch(() => {});
  await rmdir(point).catch(() => {});
}
