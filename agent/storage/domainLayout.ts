// Where a host keeps images, laid out as oVirt lays out file domains (NFS, local, POSIX):
// `<domain dir>/images/<disk id>/<image id>` (so a file's path names its domain, disk and image:
// imageAt). The domain dir is `<path>/<domain id>` when the
// domain's path is an existing local absolute directory on the host or an NFS export mounted at
// `<data dir>/mnt/<server>:<export, / as _>` (nfsMounts.ts), else `<data dir>/storage/<domain id>`
// (simulated and demo domains, whose paths name remote exports no host mounts). Files in transit for OVA export and import wait in
// `<data dir>/staging/<stage id>`. ISO images lie in one folder of an ISO domain, as oVirt's:
// `<domain dir>/images/11111111-1111-1111-1111-111111111111/<name>.iso`.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { VolumeRef } from '../../protocol/storage.ts';

/** The host's data directory: VIREO_DATA_DIR (read at each call, so tests can point it elsewhere), else the checkout's data/. */
export function hostDataDir(): string {
  return path.resolve(process.env.VIREO_DATA_DIR || path.join(import.meta.dirname, '../../data'));
}

/** Where an NFS export is mounted on this host (VDSM's naming: `/` becomes `_`). */
export function nfsMountPoint(exportAddress: string): string {
  return path.join(hostDataDir(), 'mnt', exportAddress.replaceAll('/', '_'));
}

/** The file systems mounted on this host by mount point, with their type (the kernel's table, octal escapes undone). */
export function mountTable(): Map<string, string> {
  const table = new Map<string, string>();
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, point, type] = line.split(' ');
    if (point && type)
      table.set(
        point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))),
        type,
      );
  }
  return table;
}

/** Where a domain's path is on this host: a mounted NFS export's mount point, else the path itself. */
function localPath(domainPath: string): string {
  if (domainPath.startsWith('/') || !domainPath.includes(':')) return domainPath;
  const point = nfsMountPoint(domainPath);
  return mountTable().has(point) ? point : domainPath;
}

function isLocalDir(p: string): boolean {
  if (!path.isAbsolute(p)) return false;
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Whether the domain's images live under the data dir (a domain this host only simulates). */
export function isSimulatedDomain(volume: Pick<VolumeRef, 'domainPath'>): boolean {
  return !isLocalDir(localPath(volume.domainPath));
}

export function domainDir(volume: Pick<VolumeRef, 'domainId' | 'domainPath'>): string {
  const dir = localPath(volume.domainPath);
  return isLocalDir(dir) ? path.join(dir, volume.domainId) : path.join(hostDataDir(), 'storage', volume.domainId);
}

/** The image file of a volume (ids are UUIDs, checked by the protocol, so the path stays inside the domain). */
export function volumePath(volume: VolumeRef): string {
  return path.join(domainDir(volume), 'images', volume.diskId, volume.imageId);
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const IMAGE_PATH = new RegExp(`/(${UUID})/images/(${UUID})/(${UUID})$`, 'i');

/** The domain, disk and image an image file is by this layout (volumePath's inverse); null for a file laid out otherwise. */
export function imageAt(file: string): { domainId: string; diskId: string; imageId: string } | null {
  const m = IMAGE_PATH.exec(path.normalize(file));
  return m ? { domainId: m[1]!.toLowerCase(), diskId: m[2]!.toLowerCase(), imageId: m[3]!.toLowerCase() } : null;
}

/** oVirt's folder of an ISO domain's images (its ISO_IMAGE_UUID). */
const ISO_FOLDER = '11111111-1111-1111-1111-111111111111';

/** Where an ISO domain's images lie (names are checked by the protocol, so a file stays inside). */
export function isoDir(domain: Pick<VolumeRef, 'domainId' | 'domainPath'>): string {
  return path.join(domainDir(domain), 'images', ISO_FOLDER);
}

/** An ISO image's file on its ISO domain. */
export function isoPath(medium: Pick<VolumeRef, 'domainId' | 'domainPath'> & { name: string }): string {
  return path.join(isoDir(medium), medium.name);
}

export function stagingDir(): string {
  return path.join(hostDataDir(), 'staging');
}

export function stagePath(stageId: string): string {
  return path.join(stagingDir(), stageId);
}
