// Where local and POSIX storage domains may live: under one of the allowed roots
// (VIREO_STORAGE_ROOTS), given as a normalized absolute path, so a domain cannot be pointed at
// /etc or at another domain's images through `..`.
import path from 'node:path';
import { loadConfig } from '../config.ts';
import type { Reason } from '../errors.ts';

/** The allowed roots, read at each call (tests point them elsewhere). */
export function storageRoots(): string[] {
  const config = loadConfig();
  const listed = config.VIREO_STORAGE_ROOTS?.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return listed?.length ? listed : ['/srv', '/mnt', '/var/lib/vireo', path.join(path.resolve(config.VIREO_DATA_DIR), 'domains')];
}

/** Why `dir` may not be a storage domain's path, or null. */
export function pathNotAllowed(dir: string): Reason | null {
  const normal = path.posix.normalize(dir);
  if (!path.posix.isAbsolute(dir) || normal !== dir.replace(/\/+$/, '') || dir.split('/').includes('..'))
    return { code: 'STORAGE_PATH_NOT_ALLOWED', message: `The path ${dir} is not a normalized absolute path.` };
  const roots = storageRoots();
  const inside = roots.some((root) => {
    const rel = path.posix.relative(path.posix.normalize(root), normal);
    return rel !== '' && !rel.startsWith('..') && !path.posix.isAbsolute(rel);
  });
  return inside
    ? null
    : { code: 'STORAGE_PATH_NOT_ALLOWED', message: `The path ${dir} is not under an allowed storage root (${roots.join(', ')}).` };
}
