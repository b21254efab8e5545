// What an NFS storage domain's path and mount options may be: `<server>:<export>` (a host name or
// an IP address, then a normalized absolute path), and options from the NFS mount options the
// hosts understand (mount.nfs's names), so nothing else reaches the hosts' mount command.
import path from 'node:path';
import type { Reason } from '../errors.ts';

const SERVER = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/;
/** Export path characters: what servers' exports use, and nothing a mount point or command line could misread. */
const EXPORT_PATH = /^[A-Za-z0-9._~+@%/-]+$/;
const OPTION = /^(?:(?:port|mountport|vers|nfsvers|timeo|retrans|rsize|wsize|actimeo)=\d{1,7}|proto=(?:tcp|udp)|soft|hard|nolock|sec=sys)$/;

/** Why `address` is not an NFS export's address, or null. */
export function nfsExportProblem(address: string): Reason | null {
  const colon = address.indexOf(':', address.startsWith('[') ? address.indexOf(']') : 0);
  const server = colon > 0 ? address.slice(0, colon) : '';
  const exported = colon > 0 ? address.slice(colon + 1) : '';
  const normal = path.posix.normalize(exported);
  if (
    SERVER.test(server) &&
    EXPORT_PATH.test(exported) &&
    path.posix.isAbsolute(exported) &&
    normal === exported &&
    (exported === '/' || !exported.endsWith('/'))
  )
    return null;
  return {
    code: 'STORAGE_PATH_NOT_NFS',
    message: `${address} is not an NFS export: give <server>:<absolute path> (letters, digits and . _ ~ + @ % / -), as nfs.example.org:/exports/data.`,
  };
}

/** Why `options` are not NFS mount options the hosts take, or null. */
export function mountOptionsProblem(options: string): Reason | null {
  const bad = options === '' ? [] : options.split(',').filter((o) => !OPTION.test(o));
  return bad.length
    ? {
        code: 'STORAGE_MOUNT_OPTIONS_NOT_ALLOWED',
        message: `Mount options ${bad.join(', ')} are not taken; allowed: port, mountport, vers, nfsvers, timeo, retrans, rsize, wsize, actimeo (numbers), proto=tcp|udp, soft, hard, nolock, sec=sys.`,
      }
    : null;
}
