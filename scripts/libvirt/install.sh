#!/usr/bin/env bash
# What real VMs need on a Debian host, installed when missing: libvirtd, virsh and virt-xml-validate,
# QEMU, qemu-img, xmllint, iproute2 (the agent builds host networks with ip); then the tiny guest
# (build-guest.sh). Run as root.
set -euo pipefail
need=()
[ -x /usr/sbin/libvirtd ] || need+=(libvirt-daemon)
command -v virsh >/dev/null || need+=(libvirt-clients)
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v qemu-img >/dev/null || need+=(qemu-utils)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v ip >/dev/null || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  # libvirt-daemon without its recommends: no libvirt-daemon-system (systemd units), no dnsmasq.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
bash "$(dirname "$0")/build-guest.sh" >/dev/null
