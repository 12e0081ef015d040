#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine: the data-path tests run the gateway
# script for real, so they need iproute2 and iptables/ip6tables, and busybox to run it under busybox sh as well.
# Only installs what is missing.
set -euo pipefail

missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v sysctl >/dev/null 2>&1 || missing+=(procps)
command -v arping >/dev/null 2>&1 || missing+=(iputils-arping)
command -v busybox >/dev/null 2>&1 || missing+=(busybox)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-deps: missing Debian packages: ${missing[*]}; run as root or install them (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "ensure-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
