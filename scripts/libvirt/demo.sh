#!/usr/bin/env bash
# `bash scripts/libvirt/demo.sh`: the demo (npm start) with one real libvirt host, real01, running
# one tiny real VM beside the simulated hosts. Installs libvirt and QEMU when missing, builds the
# guest, starts a libvirtd of its own in $VIREO_DATA_DIR/libvirtd (stopped by PID on exit), and gives
# real01 a NIC of its own: a veth pair (vireodemo0, deleted on exit), so the bridge of its management
# network never takes the machine's own NIC. Root.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/libvirt/install.sh
data=${VIREO_DATA_DIR:-./data}
mkdir -p "$data"
dir=$(cd "$data" && pwd)/libvirtd
nic=vireodemo0
bash scripts/libvirt/libvirtd.sh start "$dir" 1
trap 'bash scripts/libvirt/libvirtd.sh stop "$dir"; ip link del "$nic" 2>/dev/null || true' EXIT
ip link show "$nic" >/dev/null 2>&1 || ip link add "$nic" type veth peer name "${nic}p"
VIREO_DEMO_LIBVIRT_URI=$(bash scripts/libvirt/libvirtd.sh uri "$dir") VIREO_DEMO_LIBVIRT_NICS=$nic \
  VIREO_DEMO_GUEST_DIR=$(pwd)/.cache/libvirt-guest npm start
