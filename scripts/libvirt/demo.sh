#!/usr/bin/env bash
# `bash scripts/libvirt/demo.sh`: the demo (npm start) with one real libvirt host, real01, running
# one tiny real VM beside the simulated hosts. Installs libvirt and QEMU when missing, builds the
# guest, starts a libvirtd of its own in $VIREO_DATA_DIR/libvirtd (stopped by PID on exit). Root.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/libvirt/install.sh
data=${VIREO_DATA_DIR:-./data}
mkdir -p "$data"
dir=$(cd "$data" && pwd)/libvirtd
bash scripts/libvirt/libvirtd.sh start "$dir" 1
trap 'bash scripts/libvirt/libvirtd.sh stop "$dir"' EXIT
VIREO_DEMO_LIBVIRT_URI=$(bash scripts/libvirt/libvirtd.sh uri "$dir") VIREO_DEMO_GUEST_DIR=$(pwd)/.cache/libvirt-guest npm start
