#!/usr/bin/env bash
# Installs the real peers the tests talk to, from Debian's packages, when they are missing.
set -euo pipefail
need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql-15)
[ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapadd >/dev/null || need+=(ldap-utils)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v openssl >/dev/null || need+=(openssl)
command -v qemu-img >/dev/null && command -v qemu-io >/dev/null || need+=(qemu-utils)
command -v redis-server >/dev/null || need+=(redis-server)
command -v pdftotext >/dev/null || need+=(poppler-utils)
# ISO images (uploads to ISO domains, cloud-init config drives): made with genisoimage, read with isoinfo.
command -v genisoimage >/dev/null && command -v isoinfo >/dev/null || need+=(genisoimage)
# Power management through a real fence agent: fence_virsh logs in over ssh to an sshd of the test's own.
[ -x /usr/sbin/fence_virsh ] || need+=(fence-agents)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
# NFS domains: a real NFS server (nfs-ganesha, VFS backend, registered through rpcbind) and, as these
# machines have no kernel NFS client, the agent's user-space client (libnfs through FUSE, in Python).
[ -x /usr/bin/ganesha.nfsd ] && [ -e /usr/lib/x86_64-linux-gnu/ganesha/libfsalvfs.so ] || need+=(nfs-ganesha nfs-ganesha-vfs)
command -v rpcbind >/dev/null || need+=(rpcbind)
[ -e /usr/lib/x86_64-linux-gnu/libnfs.so.13 ] || need+=(libnfs13)
/usr/bin/python3 -c 'import fusepy' 2>/dev/null || need+=(python3-fusepy)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# Real VMs (the libvirt driver's tests): libvirt, QEMU, xmllint, and the tiny guest built from
# Debian's packages (cached in .cache/, which git ignores).
bash "$(dirname "$0")/../scripts/libvirt/install.sh"
