#!/usr/bin/env bash
# Builds the tiny test guest from Debian packages only (apt-get download + dpkg -x, nothing installed):
# Debian's cloud kernel, a static busybox as init and userland, and qemu-guest-agent with the shared
# libraries it links. It boots from kernel + initrd (direct kernel boot), mounts the first virtio disk
# on /data (making an ext2 file system on first boot), takes an address by DHCP, powers off on the
# ACPI power button, and answers the guest agent (hostname, IPs, OS info, file systems, shutdown).
#
#   scripts/libvirt/build-guest.sh [OUT]    # default .cache/libvirt-guest; prints OUT/vmlinuz OUT/initrd.img
#
# The .debs are cached in OUT/debs; a second run with nothing new does nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/.cache/libvirt-guest}
mkdir -p "$out/debs"; out=$(cd "$out" && pwd); debs=$out/debs
# Test files that run at once build into the same folder: one builds, the others wait and reuse it.
exec 9>"$out/.lock"; flock 9

kernel_pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
[ -n "$kernel_pkg" ] || { apt-get update -qq; kernel_pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/{print $2; exit}'); }
kver=${kernel_pkg#linux-image-}
pkgs="$kernel_pkg busybox-static qemu-guest-agent libc6 libglib2.0-0 libnuma1 libudev1 liburing2 libpcre2-8-0"
missing=""
for p in $pkgs; do ls "$debs/${p}_"*.deb >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] || (cd "$debs" && apt-get -q -o APT::Sandbox::User=root download $missing)

if [ -s "$out/initrd.img" ] && [ -s "$out/vmlinuz" ] && [ "$(cat "$out/kver" 2>/dev/null)" = "$kver" ] && [ "$out/initrd.img" -nt "$0" ]; then
  echo "$out/vmlinuz $out/initrd.img"; exit 0
fi

stage=$(mktemp -d "$out/.stage.XXXX"); rootfs=$(mktemp -d "$out/.root.XXXX")
trap 'rm -rf "$stage" "$rootfs"' EXIT
for p in $pkgs; do dpkg -x "$(ls "$debs/${p}_"*.deb | head -1)" "$stage"; done
cp "$stage/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"; mv "$out/vmlinuz.tmp" "$out/vmlinuz"

mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc/init.d,etc/acpi/PWRF,proc,sys,dev,run,tmp,data,root,var/lib,lib/modules/$kver,lib64}
ln -s /run "$rootfs/var/run"
cp "$stage/bin/busybox" "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list-full); do [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"; done
ln -sf /bin/busybox "$rootfs/init"

# qemu-ga and the libraries the staged dynamic loader resolves for it, all from the unpacked .debs.
cp "$stage/usr/sbin/qemu-ga" "$rootfs/usr/sbin/qemu-ga"
LD_LIBRARY_PATH="$stage/lib/x86_64-linux-gnu:$stage/usr/lib/x86_64-linux-gnu" \
  "$stage/lib64/ld-linux-x86-64.so.2" --list "$stage/usr/sbin/qemu-ga" | awk '/=>/{print $3}' |
while read -r lib; do
  rel=${lib#"$stage"}
  [ -e "$stage$rel" ] || { echo "library $lib is not in the downloaded packages" >&2; exit 1; }
  mkdir -p "$rootfs$(dirname "$rel")"; cp -L "$stage$rel" "$rootfs$rel"
done
cp -L "$stage/lib64/ld-linux-x86-64.so.2" "$rootfs/lib64/"

# The cloud kernel has every virtio driver as a module; no udev or depmod here, so they are listed
# in dependency order and insmod'ed by rcS.
modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net
  virtio_blk scsi_common scsi_mod sd_mod virtio_scsi virtio_console virtio_balloon virtio-rng button evdev"
: > "$rootfs/etc/modules"
for m in $modules; do
  ko=$(find "$stage/lib/modules/$kver/kernel" -name "$m.ko" | head -1)
  [ -n "$ko" ] || { echo "kernel module $m not found" >&2; exit 1; }
  cp "$ko" "$rootfs/lib/modules/$kver/"; echo "$m" >> "$rootfs/etc/modules"
done

cp "$stage/usr/lib/os-release" "$rootfs/etc/os-release" 2>/dev/null || cp /usr/lib/os-release "$rootfs/etc/os-release"
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
echo 'root:x:0:' > "$rootfs/etc/group"
echo tinyguest > "$rootfs/etc/hostname"

cat > "$rootfs/etc/inittab" <<'TAB'
::sysinit:/etc/init.d/rcS
::respawn:/usr/sbin/qemu-ga -m virtio-serial -p /dev/virtio-ports/org.qemu.guest_agent.0 -f /run/qemu-ga.pid -t /run/qga
::respawn:/sbin/acpid -f -c /etc/acpi -a /etc/acpid.conf -l /run/acpid.log
::ctrlaltdel:/sbin/reboot
tty1::respawn:-/bin/sh
::shutdown:/etc/init.d/rcK
TAB

{ echo '#!/bin/sh'; echo "kver=$kver"; cat <<'RCS'; } > "$rootfs/etc/init.d/rcS"
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/virtio-ports /run/qga; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /tmp
for m in $(cat /etc/modules); do insmod /lib/modules/$kver/$m.ko 2>/dev/null; done
# The host name: hn=NAME on the kernel command line, else /etc/hostname.
name=$(cat /etc/hostname); for a in $(cat /proc/cmdline); do case $a in hn=*) name=${a#hn=};; esac; done
hostname "$name"; echo "$name" > /etc/hostname
# /dev/virtio-ports/NAME links, as udev would make them (qemu-ga opens its port by name).
for i in 1 2 3 4 5 6 7 8 9 10; do ls /sys/class/virtio-ports/*/name >/dev/null 2>&1 && break; sleep 0.1; done
for p in /sys/class/virtio-ports/*; do [ -e "$p/name" ] && ln -sf "/dev/${p##*/}" "/dev/virtio-ports/$(cat "$p/name")"; done
ip link set lo up
for n in /sys/class/net/*; do n=${n##*/}; [ "$n" = lo ] && continue
  ip link set "$n" up
  udhcpc -i "$n" -s /etc/udhcpc.script -q -n -t 5 -T 1 -x hostname:"$name" >/dev/null 2>&1 ||
    { ip addr add 10.0.2.15/24 dev "$n"; ip route add default via 10.0.2.2; }
done
if [ -b /dev/vda ]; then
  mount -t ext2 /dev/vda /data 2>/dev/null || { mke2fs -q -F /dev/vda >/dev/null 2>&1 && mount -t ext2 /dev/vda /data; }
fi
echo "rcS: up after $(cut -d' ' -f1 /proc/uptime)s as $name" > /dev/console
printf '\nVireo tiny guest %s: a shell on this console (tty1).\n' "$name" > /dev/tty1
RCS

cat > "$rootfs/etc/init.d/rcK" <<'RCK'
#!/bin/sh
sync; umount /data 2>/dev/null; true
RCK

cat > "$rootfs/etc/udhcpc.script" <<'DHCP'
#!/bin/sh
case "$1" in
  deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}" up
    [ -n "$router" ] && { ip route del default 2>/dev/null; ip route add default via ${router%% *} dev "$interface"; }
    : > /etc/resolv.conf; for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done ;;
esac
DHCP

# ACPI power button -> busybox acpid -> poweroff. qemu-ga's guest-shutdown calls
# `/sbin/shutdown -h -P +0 "…"`, which busybox lacks: a small wrapper.
printf '#!/bin/sh\npoweroff\n' > "$rootfs/etc/acpi/PWRF/00000080"
echo "PWRF PWRF/00000080" > "$rootfs/etc/acpid.conf"
rm -f "$rootfs/sbin/shutdown"
printf '#!/bin/sh\ncase " $* " in *" -r "*) exec reboot;; *" -H "*) exec halt;; *) exec poweroff;; esac\n' > "$rootfs/sbin/shutdown"
chmod 755 "$rootfs"/etc/init.d/* "$rootfs/etc/udhcpc.script" "$rootfs/etc/acpi/PWRF/00000080" "$rootfs/sbin/shutdown"

(cd "$rootfs" && find . | LC_ALL=C sort | "$rootfs/bin/busybox" cpio -o -H newc 2>/dev/null) | gzip -6 > "$out/initrd.img.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img"
echo "$kver" > "$out/kver"
echo "$out/vmlinuz $out/initrd.img"
