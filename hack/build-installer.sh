#!/usr/bin/env bash
# The release bundle: one YAML with everything `make deploy` installs (CRDs, namespace, RBAC, the operator
# Deployment) and both images pinned, as kubebuilder's `make build-installer` writes it. It generates the kustomize
# tree with the images asked for into a temporary folder (config/ stays as committed) and renders config/default
# of it with `kubectl kustomize`.
#
# Usage: hack/build-installer.sh OUTPUT      OUTPUT is a file (e.g. dist/install.yaml) or - for standard output
# Environment: IMG, GATEWAY_IMG (default: this version's images, from Directory.Build.props), LBOP (how to run
#   LbOperator; default: dotnet LbOperator/bin/Release/net10.0/LbOperator.dll), KUBECTL (default kubectl), TREE
#   (default: default; kube-ovn renders the tree without the Subnet CRD, for clusters where Kube-OVN owns it).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

output="${1:?usage: hack/build-installer.sh OUTPUT (a file, or - for standard output)}"
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" Directory.Build.props | head -n 1; }
version="$(prop Version)"
prefix="$(prop LbOperatorImagePrefix)"
IMG="${IMG:-$prefix/lboperator:$version}"
GATEWAY_IMG="${GATEWAY_IMG:-$prefix/lboperator-gateway:$version}"
read -r -a lbop <<<"${LBOP:-dotnet LbOperator/bin/Release/net10.0/LbOperator.dll}"
kubectl="${KUBECTL:-kubectl}"
tree_name="${TREE:-default}"
case "$tree_name" in
  default) what="CRDs" ;;
  kube-ovn) what="the IpAllocation CRD (Kube-OVN owns subnets.kubeovn.io)" ;;
  *) echo "build-installer.sh: TREE must be default or kube-ovn, not $tree_name" >&2; exit 2 ;;
esac

tree="$(mktemp -d "${TMPDIR:-/tmp}/lbop-installer.XXXXXX")"
trap 'rm -rf "$tree"' EXIT
"${lbop[@]}" generate --output "$tree" --image "$IMG" --gateway-image "$GATEWAY_IMG" >/dev/null
# kustomize needs no cluster: an empty kubeconfig keeps kubectl away from any real one.
body="$(KUBECONFIG=/dev/null "$kubectl" kustomize "$tree/$tree_name")"
bundle="# LbOperator $version: $what, namespace lboperator-system, RBAC and the operator Deployment.
# Operator image $IMG, gateway image $GATEWAY_IMG.
# Install with: kubectl apply -f install.yaml   (written by make build-installer; do not edit)
$body"

if [ "$output" = "-" ]; then
  printf '%s\n' "$bundle"
else
  mkdir -p "$(dirname "$output")"
  printf '%s\n' "$bundle" >"$output.tmp"
  mv "$output.tmp" "$output"
  echo "wrote $output (operator $IMG, gateway $GATEWAY_IMG)"
fi
