#!/usr/bin/env bash
# Builds LbOperator's two images on this machine with podman and no registry, the way `make images`, `make test`
# and `make demo` need them:
#
#   base      a Debian 12 base made with debootstrap from this machine's apt mirror and imported into podman
#             (localhost/lboperator-base:bookworm-<hash>); it stands in for the registry bases of the Dockerfiles
#   gateway   images/gateway/Dockerfile on that base                   -> $GATEWAY_IMG
#   operator  a self-contained publish of LbOperator, then images/operator/Dockerfile.prebuilt on that base -> $IMG
#   all       the three, in that order
#
# Every image is rebuilt only when its inputs change: the base's tag carries a hash of its recipe, and the gateway
# and operator images carry a label io.lboperator.inputs with a hash of the Dockerfile, the base's image ID and
# (operator) the published files. Everything is kept in podman's own storage, outside the clone.
#
# Usage: hack/images.sh [--optional] base|gateway|operator|all
#   --optional  when podman cannot run here (not root, or not installed), say so and exit 0: the tests that need
#               the images then fail under CI=true and are ignored elsewhere.
# Environment: IMG, GATEWAY_IMG (default: this version's tags, from Directory.Build.props), CONFIGURATION
#   (default Release), DEBIAN_MIRROR (default: the first Debian mirror in this machine's apt sources).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

optional=0
if [ "${1:-}" = "--optional" ]; then
  optional=1
  shift
fi
what="${1:-all}"
case "$what" in base|gateway|operator|all) ;; *) echo "usage: hack/images.sh [--optional] base|gateway|operator|all" >&2; exit 2 ;; esac

prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" Directory.Build.props | head -n 1; }
version="$(prop Version)"
prefix="$(prop LbOperatorImagePrefix)"
IMG="${IMG:-$prefix/lboperator:$version}"
GATEWAY_IMG="${GATEWAY_IMG:-$prefix/lboperator-gateway:$version}"
configuration="${CONFIGURATION:-Release}"
suite=bookworm
# What a self-contained .NET app needs beyond minbase (which has libc6, libgcc-s1, libstdc++6 and zlib1g), as
# Microsoft's runtime-deps image carries it; no ICU: the operator runs with invariant globalization.
base_packages="ca-certificates,libssl3,tzdata"
label=io.lboperator.inputs

say() { printf 'images: %s\n' "$*"; }

# Runs a build step quietly; on failure shows what it printed.
quietly() {
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    echo "images: failed: $*" >&2
    return 1
  fi
  rm -f "$log"
}

unavailable() {
  if [ "$optional" -eq 1 ]; then
    say "skipped: $*; tests that run the images are ignored (they fail under CI=true)"
    exit 0
  fi
  echo "images: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || unavailable "building images here needs root (podman's rootful storage, debootstrap); run: sudo make images"
command -v podman >/dev/null 2>&1 || unavailable "podman is not installed (make deps installs podman, runc and debootstrap)"

# One build at a time on this machine: two clones building the same base would both spend the 70 s.
exec 9>/var/lock/lboperator-images.lock
flock 9

debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  local found
  found="$( { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'; \
              grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'; } \
            | grep -E '/debian/?$' | head -n 1 || true)"
  echo "${found:-http://deb.debian.org/debian}"
}

sha() { sha256sum | cut -c1-16; }

rootfs=""
trap '[ -z "$rootfs" ] || rm -rf "$rootfs" "$rootfs.log"' EXIT

image_id() { podman image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }

image_inputs() { podman image inspect --format "{{index .Labels \"$label\"}}" "$1" 2>/dev/null || true; }

# Removes an image that a rebuild left without a tag (only that one: other images on the machine are not ours).
drop_if_untagged() {
  local id="$1"
  [ -n "$id" ] || return 0
  if [ -z "$(podman image inspect --format '{{join .RepoTags ","}}' "$id" 2>/dev/null || true)" ]; then
    podman rmi "$id" >/dev/null 2>&1 || true
  fi
}

# The base's recipe: this function's own text, the suite, the mirror and the packages. Changing any rebuilds it.
make_rootfs() {
  local rootfs="$1" mirror="$2"
  debootstrap --variant=minbase --include="$base_packages" "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
    || { tail -n 20 "$rootfs.log" >&2; return 1; }
  rm -f "$rootfs.log"
  cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian*}/debian-security $suite-security main
SOURCES
  # As Debian's slim images: no documentation, manual pages or translations, now or from later installs.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
SLIM
  find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  # The build host's identity does not belong in an image.
  : >"$rootfs/etc/hostname"
  rm -f "$rootfs/etc/resolv.conf"
}

base_tag() {
  local mirror
  mirror="$(debian_mirror)"
  echo "localhost/lboperator-base:$suite-$( { declare -f make_rootfs; echo "$suite $mirror $base_packages"; } | sha)"
}

build_base() {
  local tag mirror started
  tag="$(base_tag)"
  if podman image exists "$tag"; then
    say "base $tag is up to date"
    return
  fi
  command -v debootstrap >/dev/null 2>&1 || unavailable "debootstrap is not installed (make deps installs it)"
  mirror="$(debian_mirror)"
  started=$SECONDS
  say "building base $tag: debootstrap --variant=minbase $suite from $mirror (about a minute)"
  rootfs="$(mktemp -d /var/tmp/lboperator-base.XXXXXX)"
  make_rootfs "$rootfs" "$mirror"
  tar -C "$rootfs" --numeric-owner -c . | quietly podman import --change 'CMD ["bash"]' - "$tag"
  rm -rf "$rootfs"
  rootfs=""
  say "base $tag built in $((SECONDS - started)) s"
  # Bases of earlier recipes are no longer used by anything we build.
  local old
  for old in $(podman images --format '{{.Repository}}:{{.Tag}}' localhost/lboperator-base); do
    [ "$old" = "$tag" ] || podman rmi "$old" >/dev/null 2>&1 || true
  done
}

build_gateway() {
  local base inputs previous started
  base="$(base_tag)"
  inputs="$( { cat images/gateway/Dockerfile; image_id "$base"; echo "$version"; } | sha)"
  if [ "$(image_inputs "$GATEWAY_IMG")" = "$inputs" ]; then
    say "gateway $GATEWAY_IMG is up to date"
    return
  fi
  previous="$(image_id "$GATEWAY_IMG")"
  started=$SECONDS
  say "building gateway $GATEWAY_IMG from images/gateway/Dockerfile on $base"
  quietly podman build --network host --pull=never --build-arg BASE_IMAGE="$base" --build-arg VERSION="$version" \
    --label "$label=$inputs" -t "$GATEWAY_IMG" -f images/gateway/Dockerfile images/gateway
  drop_if_untagged "$previous"
  say "gateway $GATEWAY_IMG built in $((SECONDS - started)) s ($(podman image inspect --format '{{.Size}}' "$GATEWAY_IMG" | awk '{printf "%.0f MB", $1 / 1e6}'))"
}

build_operator() {
  local base context inputs previous started
  base="$(base_tag)"
  context=.artifacts/images/operator
  started=$SECONDS
  rm -rf "$context"
  mkdir -p "$context"
  say "publishing LbOperator (self-contained, linux-x64, $configuration)"
  quietly dotnet publish LbOperator/LbOperator.csproj -c "$configuration" -r linux-x64 --self-contained -o "$context/publish" \
    --nologo -clp:ErrorsOnly
  inputs="$( { cat images/operator/Dockerfile.prebuilt; image_id "$base"; echo "$version"; \
               (cd "$context" && find publish -type f -print0 | sort -z | xargs -0 sha256sum); } | sha)"
  if [ "$(image_inputs "$IMG")" = "$inputs" ]; then
    say "operator $IMG is up to date (publish checked in $((SECONDS - started)) s)"
    return
  fi
  previous="$(image_id "$IMG")"
  say "building operator $IMG from images/operator/Dockerfile.prebuilt on $base"
  quietly podman build --network host --pull=never --build-arg BASE_IMAGE="$base" --build-arg VERSION="$version" \
    --label "$label=$inputs" -t "$IMG" -f images/operator/Dockerfile.prebuilt "$context"
  drop_if_untagged "$previous"
  say "operator $IMG built in $((SECONDS - started)) s ($(podman image inspect --format '{{.Size}}' "$IMG" | awk '{printf "%.0f MB", $1 / 1e6}'))"
}

case "$what" in
  base) build_base ;;
  gateway) build_base; build_gateway ;;
  operator) build_base; build_operator ;;
  all) build_base; build_gateway; build_operator ;;
esac
