#!/usr/bin/env bash
# Builds stand-in base images under the official names (node:18, python:3.11, golang:1.19,
# gcr.io/distroless/static-debian13:nonroot, nginx:stable-alpine, ...) from Debian bookworm packages,
# in an isolated container storage root. Idempotent: images that already exist are kept, and a root
# filesystem is made only while its imported base (localhost/msb-e2e-base-NAME) is missing; its tarball
# is removed once imported, as the storage holds it then (disk is what the e2e suites run short of). Usage: e2e/images.sh [STATE_DIR]
set -euo pipefail
state=${1:-${MSB_E2E_DIR:-/var/tmp/msb-e2e}}
mkdir -p "$state/tarballs" "$state/storage" "$state/run"
st=(--root "$state/storage" --runroot "$state/run" --storage-driver "$(bash "$(dirname "$0")/storage-driver.sh" "$state")")
mirror=http://deb.debian.org/debian
ca_bundle=/etc/ssl/certs/ca-certificates.crt

have_image() { buildah "${st[@]}" inspect --type image "$1" >/dev/null 2>&1; }

rootfs() { # name packages [customize-hook...]
  local name=$1 packages=$2; shift 2
  local tar="$state/tarballs/$name.tar"
  have_image "localhost/msb-e2e-base-$name" && return 0
  [ -s "$tar" ] && return 0
  local hooks=(--customize-hook="cp $ca_bundle \"\$1/etc/ssl/certs/ca-certificates.crt\" 2>/dev/null || true")
  for h in "$@"; do hooks+=(--customize-hook="$h"); done
  mmdebstrap --quiet --variant=minbase --include="$packages" "${hooks[@]}" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm "$state/tarballs/partial-$name.tar" "$mirror"
  mv "$state/tarballs/partial-$name.tar" "$tar"
}

image() { # name tarball config-args...
  local name=$1 tar=$2; shift 2
  have_image "$name" && return 0
  if ! have_image "localhost/msb-e2e-base-$tar"; then
    podman "${st[@]}" import --quiet "$state/tarballs/$tar.tar" "localhost/msb-e2e-base-$tar" >/dev/null
    rm -f "$state/tarballs/$tar.tar"
  fi
  local c
  c=$(buildah "${st[@]}" from --pull=never "localhost/msb-e2e-base-$tar")
  buildah "${st[@]}" config "$@" "$c"
  buildah "${st[@]}" commit --quiet "$c" "$name" >/dev/null
  buildah "${st[@]}" rm "$c" >/dev/null
}

node_user='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
rootfs node-full "nodejs,npm,ca-certificates,build-essential,python3,git,curl" "$node_user"
rootfs node-slim "nodejs,npm,ca-certificates" "$node_user"
node_env=(--env NODE_EXTRA_CA_CERTS=$ca_bundle --env NODE_VERSION=18 --cmd node)
image docker.io/library/node:18 node-full "${node_env[@]}"
image docker.io/library/node:18-slim node-slim "${node_env[@]}"
image docker.io/library/node:18-alpine node-slim "${node_env[@]}"

# Wheels are made in a throwaway root filesystem so the python images have no system-wide packages.
if [ ! -d "$state/wheels" ]; then
  rm -rf "$state/wheels.partial"
  mkdir -p "$state/wheels.partial"
  mmdebstrap --quiet --variant=minbase --include=python3,python3-flask,python3-pytest,python3-gunicorn \
    --customize-hook="cp $(cd "$(dirname "$0")" && pwd)/repack_wheels.py \"\$1/tmp/\" && mkdir -p \"\$1/wheels\" && chroot \"\$1\" python3 /tmp/repack_wheels.py /wheels && cp -r \"\$1/wheels/.\" $state/wheels.partial/" \
    bookworm /dev/null "$mirror" --format=null
  mv "$state/wheels.partial" "$state/wheels"
fi
python_common='rm -f "$1"/usr/lib/python3.11/EXTERNALLY-MANAGED'
rootfs python-full "python3,python3-pip,python-is-python3,python3-venv,build-essential,ca-certificates,curl" \
  "$python_common" "cp -r $state/wheels \"\$1/wheels\""
rootfs python-slim "python3,python3-pip,python-is-python3,ca-certificates" "$python_common"
py_env=(--env PIP_NO_INDEX=1 --env PIP_FIND_LINKS=/wheels --env PIP_DISABLE_PIP_VERSION_CHECK=1 --env PYTHON_VERSION=3.11 --cmd python3)
image docker.io/library/python:3.11 python-full "${py_env[@]}"
image docker.io/library/python:3.11-slim python-slim "${py_env[@]}"

# What the official full python image has beyond the base above: C headers for building extensions
# (python3-dev) and, in /wheels, the packaging tools projects install with pip (Poetry, wheel). Added
# as one layer on top, once: images built before this step get it too.
extras_label=msb-e2e.python-extras
if [ "$(buildah "${st[@]}" inspect --type image --format "{{index .OCIv1.Config.Labels \"$extras_label\"}}" docker.io/library/python:3.11 2>/dev/null)" != "8" ]; then
  if [ ! -d "$state/wheels-extras-8" ]; then
    rm -rf "$state/wheels-extras-8.partial"
    mkdir -p "$state/wheels-extras-8.partial"
    mmdebstrap --quiet --variant=minbase --include=python3,python3-poetry,python3-pexpect,python3-wheel,python3-setuptools \
      --customize-hook="cp $(cd "$(dirname "$0")" && pwd)/repack_wheels.py \"\$1/tmp/\" && mkdir -p \"\$1/wheels\" && chroot \"\$1\" python3 /tmp/repack_wheels.py /wheels && cp -r \"\$1/wheels/.\" $state/wheels-extras-8.partial/" \
      bookworm /dev/null "$mirror" --format=null
    mv "$state/wheels-extras-8.partial" "$state/wheels-extras-8"
  fi
  c=$(buildah "${st[@]}" from --pull=never docker.io/library/python:3.11)
  buildah "${st[@]}" run --isolation chroot "$c" -- sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-dev >/dev/null && rm -rf /var/lib/apt/lists/*'
  buildah "${st[@]}" copy "$c" "$state/wheels-extras-8" /wheels >/dev/null
  buildah "${st[@]}" config --label "$extras_label=8" "$c"
  buildah "${st[@]}" commit --quiet "$c" docker.io/library/python:3.11 >/dev/null
  buildah "${st[@]}" rm "$c" >/dev/null
fi

rootfs golang "golang-1.19-go,gcc,libc6-dev,git,ca-certificates" 'mkdir -p "$1/go/bin" "$1/go/src"'
image docker.io/library/golang:1.19 golang --env PATH=/go/bin:/usr/lib/go-1.19/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env GOPATH=/go --env GOFLAGS=-mod=mod --env GOPROXY=off --workingdir /go --cmd bash

nginx_setup='chroot "$1" useradd --system --uid 101 --no-create-home --shell /sbin/nologin nginx && mkdir -p "$1/usr/share/nginx/html" "$1/etc/nginx/conf.d" && echo "<h1>nginx</h1>" > "$1/usr/share/nginx/html/index.html" && ln -sf /dev/stderr "$1/var/log/nginx/error.log" && ln -sf /dev/stdout "$1/var/log/nginx/access.log"'
rootfs nginx "nginx,ca-certificates" "$nginx_setup"
image docker.io/library/nginx:stable-alpine nginx --cmd '["nginx","-g","daemon off;"]' --port 80 --stop-signal SIGQUIT

if ! have_image gcr.io/distroless/static-debian13:nonroot; then
  d=$(mktemp -d)
  mkdir -p "$d/etc/ssl/certs" "$d/tmp" "$d/home/nonroot" "$d/usr/share/zoneinfo"
  chmod 755 "$d"
  chmod 1777 "$d/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$d/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > "$d/etc/group"
  cp "$ca_bundle" "$d/etc/ssl/certs/ca-certificates.crt"
  chown 65532:65532 "$d/home/nonroot"
  tar -C "$d" -cf "$state/tarballs/distroless-static.tar" .
  rm -rf "$d"
  image gcr.io/distroless/static-debian13:nonroot distroless-static --user 65532:65532 --workingdir /home/nonroot
fi
buildah "${st[@]}" images
