#!/usr/bin/env bash
# A libvirtd of the project's own, without systemd, in its own mount namespace, so several can run
# on one machine (a migration source and destination) and none touches /etc/libvirt or /run/libvirt:
#
#   scripts/libvirt/libvirtd.sh start DIR [N]   # N = 1, 2, …: the instance number (host UUID, port ranges)
#   scripts/libvirt/libvirtd.sh stop DIR        # stops the daemon by the PID recorded in DIR/pid
#   scripts/libvirt/libvirtd.sh uri DIR         # prints the URI to connect with
#
# DIR holds the instance: etc/ (libvirtd.conf, qemu.conf), run/ (its socket and the QEMU pid files),
# lib/, log/, cache/ (QEMU capabilities, kept between starts: the first start probes QEMU for seconds).
# The daemon sees DIR/etc as /etc/libvirt, DIR/run as /run/libvirt and so on; everything else (disk
# images, the guest kernel) it sees where it is; mounts made later outside reach it only under a
# shared mount point (its namespace is a slave: an agent's NFS mounts, see test/libvirt/nfsVm.test.ts).
# QEMU runs as root with no security driver and its output goes to files (no virtlogd). Needs root
# (mount namespaces).
set -euo pipefail
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|uri DIR [N]" >&2; exit 2; }
dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
uri="qemu+unix:///system?socket=$dir/run/libvirt-sock"

running() { [ -s "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && tr '\0' ' ' < "/proc/$(cat "$dir/pid")/cmdline" | grep -q libvirtd; }

case $cmd in
uri) echo "$uri" ;;
stop)
  if running; then
    pid=$(cat "$dir/pid")
    # Domains first (QEMU processes outlive libvirtd otherwise), then the daemon.
    for d in $(virsh -c "$uri" list --name 2>/dev/null); do virsh -c "$uri" destroy "$d" >/dev/null 2>&1 || true; done
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "stopped libvirtd $pid ($dir)"
  fi
  rm -f "$dir/pid" ;;
start)
  n=${3:-1}
  if running; then echo "libvirtd already running: $(cat "$dir/pid") ($uri)"; exit 0; fi
  command -v libvirtd >/dev/null || { echo "libvirtd is not installed (bash .ci/peers.sh installs it)" >&2; exit 1; }
  # QEMU's user and group, which libvirt's QEMU driver looks up even when QEMU runs as root.
  getent group kvm >/dev/null || groupadd --system kvm
  getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
  getent passwd libvirt-qemu >/dev/null || useradd --system --gid kvm --groups libvirt-qemu --no-create-home \
    --home-dir /var/lib/libvirt --shell /usr/sbin/nologin libvirt-qemu
  mkdir -p "$dir"/{etc,run,lib,log,cache} /etc/libvirt /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt
  # Distinct host UUIDs: libvirt refuses to migrate to "the same host".
  printf 'host_uuid = "7669726f-0000-4000-8000-%012d"\n' "$n" > "$dir/etc/libvirtd.conf"
  cat > "$dir/etc/qemu.conf" <<CONF
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
stdio_handler = "file"
remote_display_port_min = $((5900 + (n - 1) * 50))
remote_display_port_max = $((5949 + (n - 1) * 50))
remote_websocket_port_min = $((5700 + (n - 1) * 50))
remote_websocket_port_max = $((5749 + (n - 1) * 50))
migration_port_min = $((49152 + (n - 1) * 100))
migration_port_max = $((49251 + (n - 1) * 100))
CONF
  [ -d "$dir/etc/hooks" ] || mkdir "$dir/etc/hooks"
  # Its own session: a Ctrl-C in the terminal (SIGINT to the whole foreground group) must not stop
  # libvirtd before `stop` has destroyed its domains (libvirtd leaves QEMU running when it exits).
  setsid unshare --mount --propagation slave -- sh -c "
    mount --bind '$dir/etc' /etc/libvirt && mount --bind '$dir/run' /run/libvirt &&
    mount --bind '$dir/lib' /var/lib/libvirt && mount --bind '$dir/log' /var/log/libvirt &&
    mount --bind '$dir/cache' /var/cache/libvirt &&
    exec libvirtd --config /etc/libvirt/libvirtd.conf --pid-file /run/libvirt/libvirtd.pid" \
    >> "$dir/libvirtd.log" 2>&1 < /dev/null &
  echo $! > "$dir/pid"
  for _ in $(seq 1 300); do
    virsh -c "$uri" version >/dev/null 2>&1 && { echo "libvirtd $(cat "$dir/pid") answers at $uri"; exit 0; }
    running || break
    sleep 0.1
  done
  echo "libvirtd did not answer; its log ($dir/libvirtd.log):" >&2; tail -20 "$dir/libvirtd.log" >&2
  exit 1 ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
