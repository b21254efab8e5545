// Whether this host reaches a storage domain's directory (oVirt's domain monitor): it must be an
// absolute directory the agent can read and write; its size and free space are the file system's
// (statvfs). An NFS domain is mounted first (nfsMounts.ts) and measured at its mount point; a
// user-space mount that stopped answering is unmounted, to be mounted afresh on the next round (the
// kernel's client reconnects by itself, under running VMs). A path on a mount that hangs answers
// unreachable after a timeout.
import { constants } from 'node:fs';
import { access, statfs, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DomainConnection, DomainHealth } from '../../protocol/storage.ts';
import { isUserSpaceMount, mountNfs, unmountNfs } from './nfsMounts.ts';

const PROBE_TIMEOUT_MS = 10_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the file system in ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function measure(dir: string): Promise<{ capacityBytes: number; freeBytes: number }> {
  if (!path.isAbsolute(dir)) throw new Error('the path is not absolute');
  const info = await stat(dir);
  if (!info.isDirectory()) throw new Error('the path is not a directory');
  await access(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  const fs = await statfs(dir);
  return { capacityBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize };
}

/** The domain's health as this host sees it now. */
export async function probeDomain(domain: DomainConnection): Promise<DomainHealth> {
  try {
    return { domainId: domain.domainId, reachable: true, ...(await withTimeout(measure(domain.path), PROBE_TIMEOUT_MS)) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    return { domainId: domain.domainId, reachable: false, capacityBytes: 0, freeBytes: 0, error: `${domain.path}: ${why}` };
  }
}

/** The health of a domain the engine named: a directory, or an NFS export mounted first. */
export async function probeConnection(domain: DomainConnection): Promise<DomainHealth> {
  if (!domain.nfs) return probeDomain(domain);
  let point: string;
  try {
    point = await mountNfs(domain.path, domain.nfs.mountOptions);
  } catch (e) {
    return { domainId: domain.domainId, reachable: false, capacityBytes: 0, freeBytes: 0, error: (e as Error).message };
  }
  const health = await probeDomain({ domainId: domain.domainId, path: point });
  if (health.reachable) return health;
  if (isUserSpaceMount(point)) await unmountNfs(point);
  return { ...health, error: `${domain.path}: ${health.error?.slice(point.length + 2) ?? 'unreachable'}` };
}
