#!/usr/bin/env bash
# Loads the stand-in base images from the e2e buildah storage into the Docker Engine that DOCKER_HOST
# names (or the default one), under the same names. Images Docker already has are kept.
# Usage: e2e/docker-load.sh [STATE_DIR]   (docker: $MSB_DOCKER or /usr/bin/docker)
set -euo pipefail
state=${1:-${MSB_E2E_DIR:-/var/tmp/msb-e2e}}
docker=${MSB_DOCKER:-/usr/bin/docker}
st=(--root "$state/storage" --runroot "$state/run" --storage-driver "$(bash "$(dirname "$0")/storage-driver.sh" "$state")")
archive=$(mktemp -d "${TMPDIR:-/tmp}/msb-docker-load.XXXXXX")
trap 'rm -rf "$archive"' EXIT

buildah "${st[@]}" images --format '{{.Name}}:{{.Tag}}' | grep -v '^localhost/' | sort -u | while read -r image; do
  name=${image#docker.io/library/}
  name=${name#docker.io/}
  if "$docker" image inspect "$name" >/dev/null 2>&1; then continue; fi
  buildah "${st[@]}" push --quiet "$image" "docker-archive:$archive/image.tar:$name" >/dev/null
  "$docker" load --quiet -i "$archive/image.tar" >/dev/null
  rm -f "$archive/image.tar"
  echo "loaded $name"
done
