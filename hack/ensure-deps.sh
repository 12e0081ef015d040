#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine: the data-path tests run the gateway
# script for real, so they need iproute2 and iptables/ip6tables, and busybox to run it under busybox sh as well.
# The images (hack/images.sh) need podman with the runc runtime, and debootstrap for their local Debian base.
# Only installs what is missing.
set -euo pipefail

missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v sysctl >/dev/null 2>&1 || missing+=(procps)
command -v arping >/dev/null 2>&1 || missing+=(iputils-arping)
command -v keepalived >/dev/null 2>&1 || missing+=(keepalived)
command -v busybox >/dev/null 2>&1 || missing+=(busybox)

# Without these the images are not built and the tests that run them are ignored (failed under CI=true), so a
# machine without root can still build and run everything else.
images=()
command -v podman >/dev/null 2>&1 || images+=(podman)
command -v runc >/dev/null 2>&1 || images+=(runc)
command -v debootstrap >/dev/null 2>&1 || images+=(debootstrap)

if [ "$(id -u)" -ne 0 ]; then
  if [ ${#images[@]} -gt 0 ]; then
    echo "ensure-deps: not root, so the images cannot be built here (missing: ${images[*]}); the tests that run them are ignored" >&2
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "ensure-deps: missing Debian packages: ${missing[*]}; run as root or install them (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  exit 0
fi

install=("${missing[@]}" "${images[@]}")
if [ ${#install[@]} -gt 0 ]; then
  echo "ensure-deps: installing ${install[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # runc is named so that apt does not choose crun for podman: crun refuses hybrid cgroup hierarchies.
  apt-get install -y -qq --no-install-recommends "${install[@]}" >/dev/null
fi

# Podman settings every machine these scripts run on can live with (a file of our own; nothing else is edited):
# - no default ulimits: the runtime may not raise RLIMIT_NOFILE inside a container (a VM or a container itself);
# - runc and cgroupfs: crun and the systemd cgroup manager refuse hybrid cgroups or a machine without systemd;
# - host networking by default: builds and ad-hoc runs never create podman's bridge and its iptables rules on the
#   host. The node simulation joins each container to its pod's network namespace explicitly.
conf=/etc/containers/containers.conf.d/50-lboperator.conf
wanted='# Written by LbOperator'"'"'s hack/ensure-deps.sh (make deps); see the comments there.
[containers]
default_ulimits = []
netns = "host"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"'
if [ "$(cat "$conf" 2>/dev/null || true)" != "$wanted" ]; then
  mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$wanted" >"$conf"
  echo "ensure-deps: wrote $conf"
fi
