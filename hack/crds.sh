#!/usr/bin/env bash
# make install / make uninstall / make deploy's choice of tree: LbOperator's CRDs, never one another project owns.
#
# Usage: hack/crds.sh install | uninstall | tree
#   install    applies config/crd; where a CRD that config/kube-ovn leaves out (subnets.kubeovn.io) is already
#              served without LbOperator's label, Kube-OVN installed it: config/kube-ovn/crd is applied instead and
#              that CRD is left exactly as it is.
#   uninstall  deletes the CRDs carrying LbOperator's label (app.kubernetes.io/name=lboperator) and no other.
#   tree       prints the tree make deploy applies: kube-ovn where such a CRD is served, else default.
# Environment: KUBECTL (default kubectl).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
kubectl="${KUBECTL:-kubectl}"
name=lboperator

# The CRDs config/kube-ovn leaves out, by name (the names in its delete patches).
left_out() { sed -n 's/^      name: //p' config/kube-ovn/crd/kustomization.yaml; }

# The left-out CRDs that are served and do not carry LbOperator's label.
foreign() {
  local crd found
  for crd in $(left_out); do
    # One read: "served <owner label>", or nothing when the CRD is not there.
    found="$("$kubectl" get crd "$crd" --ignore-not-found -o 'jsonpath=served {.metadata.labels.app\.kubernetes\.io/name}')"
    if [ -n "$found" ] && [ "$found" != "served $name" ]; then
      echo "$crd"
    fi
  done
}

case "${1:-}" in
  install)
    others="$(foreign)"
    if [ -n "$others" ]; then
      for crd in $others; do
        echo "crds.sh: $crd is served and is not LbOperator's (Kube-OVN installed it): left as it is" >&2
      done
      "$kubectl" apply -k config/kube-ovn/crd
    else
      "$kubectl" apply -k config/crd
    fi
    ;;
  uninstall)
    "$kubectl" delete crd -l "app.kubernetes.io/name=$name" --ignore-not-found
    ;;
  tree)
    if [ -n "$(foreign)" ]; then echo kube-ovn; else echo default; fi
    ;;
  *)
    echo "usage: hack/crds.sh install | uninstall | tree" >&2
    exit 2
    ;;
esac
