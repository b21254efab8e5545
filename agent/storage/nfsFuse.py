#!/usr/bin/python3
# A user-space NFSv3 client mounted through FUSE, for hosts whose kernel has no NFS client
# (containers, these CI machines): `nfsFuse.py <server>:<export> <mount point> [-o opts]`.
# NFS is spoken by libnfs (Debian's libnfs13, through ctypes), FUSE by fusepy (python3-fusepy).
# Options (as mount.nfs's): port=<nfs port>, mountport=<mount port>, vers=3. The program returns
# once the export is mounted (or exits 1 saying why), then serves it until unmounted.
# The agent runs it (agent/storage/nfsMounts.ts); the kernel's `mount -t nfs` is used where it exists.
import ctypes
import os
import stat
import sys
import threading

from fusepy import FUSE, FuseOSError, Operations

lib = ctypes.CDLL('libnfs.so.13', use_errno=True)
vp, u64, cp = ctypes.c_void_p, ctypes.c_uint64, ctypes.c_char_p


class Stat64(ctypes.Structure):
    _fields_ = [(n, u64) for n in (
        'dev ino mode nlink uid gid rdev size blksize blocks atime mtime ctime atime_nsec mtime_nsec ctime_nsec used'
    ).split()]


class StatVfs64(ctypes.Structure):
    _fields_ = [(n, u64) for n in 'bsize frsize blocks bfree bavail files ffree favail fsid flag namemax'.split()]


class DirEnt(ctypes.Structure):
    pass


DirEnt._fields_ = [('next', ctypes.POINTER(DirEnt)), ('name', cp)]


class Url(ctypes.Structure):
    _fields_ = [('server', cp), ('path', cp), ('file', cp)]

for name, res, args in [
    ('nfs_init_context', vp, []),
    ('nfs_get_error', cp, [vp]),
    ('nfs_parse_url_dir', ctypes.POINTER(Url), [vp, cp]),
    ('nfs_mount', ctypes.c_int, [vp, cp, cp]),
    ('nfs_stat64', ctypes.c_int, [vp, cp, ctypes.POINTER(Stat64)]),
    ('nfs_statvfs64', ctypes.c_int, [vp, cp, ctypes.POINTER(StatVfs64)]),
    ('nfs_open', ctypes.c_int, [vp, cp, ctypes.c_int, ctypes.POINTER(vp)]),
    ('nfs_create', ctypes.c_int, [vp, cp, ctypes.c_int, ctypes.c_int, ctypes.POINTER(vp)]),
    ('nfs_close', ctypes.c_int, [vp, vp]),
    ('nfs_pread', ctypes.c_int, [vp, vp, u64, u64, ctypes.c_char_p]),
    ('nfs_pwrite', ctypes.c_int, [vp, vp, u64, u64, ctypes.c_char_p]),
    ('nfs_fsync', ctypes.c_int, [vp, vp]),
    ('nfs_truncate', ctypes.c_int, [vp, cp, u64]),
    ('nfs_ftruncate', ctypes.c_int, [vp, vp, u64]),
    ('nfs_mkdir2', ctypes.c_int, [vp, cp, ctypes.c_int]),
    ('nfs_rmdir', ctypes.c_int, [vp, cp]),
    ('nfs_unlink', ctypes.c_int, [vp, cp]),
    ('nfs_rename', ctypes.c_int, [vp, cp, cp]),
    ('nfs_chmod', ctypes.c_int, [vp, cp, ctypes.c_int]),
    ('nfs_chown', ctypes.c_int, [vp, cp, ctypes.c_int, ctypes.c_int]),
    ('nfs_opendir', ctypes.c_int, [vp, cp, ctypes.POINTER(vp)]),
    ('nfs_readdir', ctypes.POINTER(DirEnt), [vp, vp]),
    ('nfs_closedir', None, [vp, vp]),
]:
    fn = getattr(lib, name)
    fn.restype, fn.argtypes = res, args

# The largest read or write sent in one call (the server splits nothing).
CHUNK = 1 << 20


class NfsClient(Operations):
    """FUSE operations over one libnfs context; libnfs is not thread-safe, so one call at a time.

    No `lock` operation: byte-range locks (QEMU's image locks) are then kept by this host's kernel,
    as on an NFS mount with `nolock`.
    """

    def __init__(self, server, export, options):
        self.ctx = lib.nfs_init_context()
        self.mutex = threading.Lock()
        self.handles = {}
        self.next_fh = 1
        # As a soft mount: a few reconnection attempts, then calls fail instead of hanging, so the
        # agent judges a domain whose server died unreachable.
        query = {'autoreconnect': '3', 'nfsport': options.get('port'), 'mountport': options.get('mountport')}
        url = f'nfs://{server}{export}?' + '&'.join(f'{k}={v}' for k, v in query.items() if v)
        parsed = lib.nfs_parse_url_dir(self.ctx, url.encode())
        if not parsed:
            raise SystemExit(f'bad NFS address {server}:{export}: {lib.nfs_get_error(self.ctx).decode()}')
        if lib.nfs_mount(self.ctx, parsed.contents.server, parsed.contents.path):
            raise SystemExit(lib.nfs_get_error(self.ctx).decode())

    def _call(self, fn, *args):
        with self.mutex:
            r = fn(self.ctx, *args)
        if isinstance(r, int) and r < 0:
            raise FuseOSError(-r)
        return r

    def getattr(self, path, fh=None):
        st = Stat64()
        self._call(lib.nfs_stat64, path.encode(), ctypes.byref(st))
        return {
            'st_mode': st.mode, 'st_nlink': st.nlink, 'st_uid': st.uid, 'st_gid': st.gid, 'st_size': st.size,
            'st_blocks': st.blocks, 'st_atime': st.atime + st.atime_nsec / 1e9,
            'st_mtime': st.mtime + st.mtime_nsec / 1e9, 'st_ctime': st.ctime + st.ctime_nsec / 1e9,
        }

    def readdir(self, path, fh):
        d = vp()
        self._call(lib.nfs_opendir, path.encode(), ctypes.byref(d))
        names = []
        with self.mutex:
            ent = lib.nfs_readdir(self.ctx, d)
            while ent:
                names.append(ent.contents.name.decode())
                ent = lib.nfs_readdir(self.ctx, d)
            lib.nfs_closedir(self.ctx, d)
        return names

    def statfs(self, path):
        v = StatVfs64()
        self._call(lib.nfs_statvfs64, path.encode(), ctypes.byref(v))
        return {'f_bsize': v.bsize, 'f_frsize': v.frsize, 'f_blocks': v.blocks, 'f_bfree': v.bfree, 'f_bavail': v.bavail,
                'f_files': v.files, 'f_ffree': v.ffree, 'f_favail': v.favail, 'f_namemax': v.namemax}

    def _keep(self, handle):
        with self.mutex:
            fh, self.next_fh = self.next_fh, self.next_fh + 1
            self.handles[fh] = handle
        return fh

    def open(self, path, flags):
        h = vp()
        self._call(lib.nfs_open, path.encode(), flags & (os.O_RDONLY | os.O_WRONLY | os.O_RDWR | os.O_TRUNC), ctypes.byref(h))
        return self._keep(h)

    def create(self, path, mode, fi=None):
        h = vp()
        self._call(lib.nfs_create, path.encode(), os.O_RDWR | os.O_CREAT | os.O_TRUNC, stat.S_IMODE(mode), ctypes.byref(h))
        return self._keep(h)

    def read(self, path, size, offset, fh):
        out = bytearray()
        while len(out) < size:
            want = min(CHUNK, size - len(out))
            buf = ctypes.create_string_buffer(want)
            n = self._call(lib.nfs_pread, self.handles[fh], offset + len(out), want, buf)
            out += buf.raw[:n]
            if n < want:
                break
        return bytes(out)

    def write(self, path, data, offset, fh):
        done = 0
        while done < len(data):
            part = data[done:done + CHUNK]
            done += self._call(lib.nfs_pwrite, self.handles[fh], offset + done, len(part), part)
        return done

    def truncate(self, path, length, fh=None):
        if fh is not None and fh in self.handles:
            self._call(lib.nfs_ftruncate, self.handles[fh], length)
        else:
            self._call(lib.nfs_truncate, path.encode(), length)

    def fsync(self, path, datasync, fh):
        self._call(lib.nfs_fsync, self.handles[fh])

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        with self.mutex:
            handle = self.handles.pop(fh, None)
        if handle:
            self._call(lib.nfs_close, handle)

    def mkdir(self, path, mode):
        self._call(lib.nfs_mkdir2, path.encode(), stat.S_IMODE(mode))

    def rmdir(self, path):
        self._call(lib.nfs_rmdir, path.encode())

    def unlink(self, path):
        self._call(lib.nfs_unlink, path.encode())

    def rename(self, old, new):
        self._call(lib.nfs_rename, old.encode(), new.encode())

    def chmod(self, path, mode):
        self._call(lib.nfs_chmod, path.encode(), stat.S_IMODE(mode))

    def chown(self, path, uid, gid):
        self._call(lib.nfs_chown, path.encode(), uid, gid)

    def utimens(self, path, times=None):
        return 0

    def access(self, path, amode):
        self.getattr(path)


def main():
    args = sys.argv[1:]
    options = {}
    if '-o' in args:
        i = args.index('-o')
        for opt in args[i + 1].split(','):
            key, _, value = opt.partition('=')
            options[key] = value
        del args[i:i + 2]
    if len(args) != 2 or ':' not in args[0]:
        raise SystemExit('usage: nfsFuse.py <server>:<export> <mount point> [-o port=N,mountport=N]')
    if options.get('vers', '3') != '3':
        raise SystemExit('only NFS version 3 is spoken by this client')
    server, _, export = args[0].partition(':')
    client = NfsClient(server, export, options)
    # In the background once mounted: the caller's wait ends when the mount is in place.
    FUSE(client, args[1], foreground=False, nothreads=True, allow_other=True, fsname=args[0], subtype='nfs', big_writes=True,
         max_write=CHUNK, max_read=CHUNK)


if __name__ == '__main__':
    main()
