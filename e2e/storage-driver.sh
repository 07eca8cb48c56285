#!/usr/bin/env bash
# Prints the container storage driver the e2e suites use under STATE_DIR: "overlay" where the kernel
# mounts overlayfs there (layers are shared, a build costs only what it adds), else "vfs" (every layer
# a full copy: several GB per dozen images). Usage: e2e/storage-driver.sh [STATE_DIR]
set -uo pipefail
state=${1:-${MSB_E2E_DIR:-/var/tmp/msb-e2e}}
if [ -n "${MSB_E2E_STORAGE_DRIVER:-}" ]; then echo "$MSB_E2E_STORAGE_DRIVER"; exit 0; fi
# a storage root keeps the driver it was made with
for made in overlay vfs; do [ -d "$state/storage/$made" ] && { echo "$made"; exit 0; }; done
mkdir -p "$state" 2>/dev/null
probe=$(mktemp -d "$state/overlay-probe.XXXXXX" 2>/dev/null) || { echo vfs; exit 0; }
mkdir -p "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
driver=vfs
if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
  touch "$probe/merged/written" 2>/dev/null && [ -e "$probe/upper/written" ] && driver=overlay
  umount "$probe/merged" 2>/dev/null
fi
rm -rf "$probe"
echo "$driver"
