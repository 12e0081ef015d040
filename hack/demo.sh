#!/usr/bin/env bash
# make demo: the seed's walkthrough end to end on this machine. Builds LbOperator, starts the sandbox API server
# with the operator in-process (and, as root, the node simulation, with the gateway pods run from the project's
# gateway image, built here once and cached), applies examples/ unchanged, waits for the LoadBalancer address and
# the pods, prints what kubectl shows, curls the address from the client namespace and stops everything again,
# whatever happened.
#
# Environment: OPERATOR=image runs the operator from its image (podman, host network) instead of in-process;
# IMG, GATEWAY_IMG (the images; default this version's); DEMO_IMAGES=0 builds no image (the gateway's commands then
# run on this machine); DEMO_TIMEOUT (seconds per wait, default 120); DEMO_NODES_PREFIX (namespace prefix, default
# lbopdemo-); DEMO_NODES=0 runs the control plane part only (what happens without root); DEMO_KEEP_LOGS=1 keeps the
# temporary directory with the sandbox log.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

timeout_s="${DEMO_TIMEOUT:-120}"
prefix="${DEMO_NODES_PREFIX:-lbopdemo-}"
configuration="${CONFIGURATION:-Release}"
dll="LbOperator.Sandbox.Host/bin/$configuration/net10.0/LbOperator.Sandbox.Host.dll"
lb_ip="172.18.0.18"
work=""
sandbox_pid=""
data_path=0
operator_mode="${OPERATOR:-in-process}"
operator_container=""
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" Directory.Build.props | head -n 1; }
version="$(prop Version)"
IMG="${IMG:-$(prop LbOperatorImagePrefix)/lboperator:$version}"
GATEWAY_IMG="${GATEWAY_IMG:-$(prop LbOperatorImagePrefix)/lboperator-gateway:$version}"
export IMG GATEWAY_IMG

step() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

show_log_tail() {
  if [ -n "$work" ] && [ -s "$work/sandbox.log" ]; then
    echo "--- last 40 lines of the sandbox log ($work/sandbox.log)" >&2
    tail -n 40 "$work/sandbox.log" >&2
    echo "---" >&2
  fi
}

fail() {
  echo "demo: FAILED: $*" >&2
  show_log_tail
  if [ -n "$operator_container" ]; then
    echo "--- last 20 lines of the operator container's log (podman logs $operator_container)" >&2
    podman logs --tail 20 "$operator_container" >&2 2>&1 || true
    echo "---" >&2
  fi
  exit 1
}

stop_operator_container() {
  if [ -n "$operator_container" ]; then
    podman rm --force --ignore --time 5 "$operator_container" >/dev/null 2>&1 || true
    operator_container=""
  fi
}

stop_sandbox() {
  if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
    kill -TERM "$sandbox_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$sandbox_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$sandbox_pid" 2>/dev/null; then
      echo "demo: the sandbox did not stop within 15s; killing it (its namespaces are removed by the next start)" >&2
      kill -KILL "$sandbox_pid" 2>/dev/null || true
    fi
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  sandbox_pid=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$operator_container" ]; then
    step "cleaning up: removing the operator container $operator_container"
    stop_operator_container
  fi
  if [ -n "$sandbox_pid" ]; then
    step "cleaning up: stopping the sandbox (pid $sandbox_pid)"
    stop_sandbox
    if [ "$data_path" -eq 1 ]; then
      left="$(ip netns list 2>/dev/null | awk -v p="$prefix" 'index($1, p) == 1 {print $1}' | tr '\n' ' ')"
      if [ -n "$left" ]; then
        echo "demo: network namespaces left behind: $left(the next 'sandbox --nodes --nodes-prefix $prefix' removes them)" >&2
        [ "$rc" -ne 0 ] || rc=1
      else
        note "every ${prefix}* network namespace is gone"
      fi
    fi
  fi
  if [ -n "$work" ] && [ -d "$work" ]; then
    if [ "${DEMO_KEEP_LOGS:-}" = "1" ] || [ "$rc" -ne 0 ]; then
      note "sandbox log kept in $work/sandbox.log"
    else
      rm -rf "$work"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command until it succeeds or the timeout passes; the last attempt's output is shown on failure.
retry() {
  local what="$1"; shift
  local deadline=$((SECONDS + timeout_s)) out
  while true; do
    if out="$("$@" 2>&1)"; then
      printf '%s' "$out"
      return 0
    fi
    if [ -n "$sandbox_pid" ] && ! kill -0 "$sandbox_pid" 2>/dev/null; then
      fail "the sandbox exited while waiting for $what"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$out" >&2
      fail "timed out after ${timeout_s}s waiting for $what"
    fi
    sleep 0.5
  done
}

# --- what the demo needs ------------------------------------------------------------------------------------
step "checking what the demo needs"
case "$operator_mode" in in-process|image) ;; *) fail "OPERATOR=$operator_mode: expected in-process (the default) or image" ;; esac
command -v dotnet >/dev/null 2>&1 || fail "dotnet (the .NET 10 SDK) is not on PATH: install it from https://dot.net and run make demo again"
command -v kubectl >/dev/null 2>&1 || fail "kubectl is not on PATH: install kubectl (1.32 or later) and run make demo again"
data_path=1
skip_reason=""
if [ "${DEMO_NODES:-1}" = "0" ]; then
  data_path=0
  skip_reason="DEMO_NODES=0 asked for the control plane only"
elif [ "$(id -u)" -ne 0 ]; then
  data_path=0
  skip_reason="not running as root: the node simulation creates network namespaces, macvlans and iptables rules, which needs root (run: sudo make demo)"
else
  hack/ensure-deps.sh || fail "could not install the Debian packages the data path needs (iproute2, iptables, procps, curl)"
fi
note "dotnet $(dotnet --version), $(kubectl version --client 2>/dev/null | head -n 1)"
if [ "$data_path" -eq 1 ]; then
  note "root: yes; ip, iptables, sysctl, curl: present; the node simulation will run"
else
  note "the node simulation is skipped: $skip_reason"
fi
if [ "$operator_mode" = "image" ]; then
  [ "$(id -u)" -eq 0 ] || fail "OPERATOR=image runs the operator's image with podman, which needs root here: run sudo make demo OPERATOR=image"
  command -v podman >/dev/null 2>&1 || fail "OPERATOR=image needs podman: run make deps as root (it installs podman, runc and debootstrap)"
fi

# --- build ----------------------------------------------------------------------------------------------------
step "building LbOperator ($configuration)"
dotnet build LbOperator.Sandbox.Host/LbOperator.Sandbox.Host.csproj -c "$configuration" --nologo -clp:ErrorsOnly -v:quiet >/dev/null \
  || { dotnet build LbOperator.Sandbox.Host/LbOperator.Sandbox.Host.csproj -c "$configuration" --nologo -clp:ErrorsOnly >&2 || true; fail "the build failed (errors above)"; }
[ -f "$dll" ] || fail "the build did not produce $dll"

# --- images ---------------------------------------------------------------------------------------------------
gateway_from_image=0
if [ "$data_path" -eq 1 ] && [ "${DEMO_IMAGES:-1}" != "0" ]; then
  what=gateway
  [ "$operator_mode" = "image" ] && what=all
  step "building the images once (hack/images.sh $what; later runs reuse them)"
  if hack/images.sh "$what" 2>&1 | sed 's/^/    /'; then
    gateway_from_image=1
  elif [ "$operator_mode" = "image" ]; then
    fail "the images could not be built (output above)"
  else
    note "the gateway image could not be built (output above): the gateway pod's commands run on this machine instead"
  fi
elif [ "$operator_mode" = "image" ]; then
  step "building the operator image once (hack/images.sh operator)"
  hack/images.sh operator 2>&1 | sed 's/^/    /' || fail "the operator image could not be built (output above)"
fi

# --- sandbox --------------------------------------------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/lbop-demo.XXXXXX")"
export KUBECONFIG="$work/kubeconfig"
sandbox_args=(--port 0 --kubeconfig "$KUBECONFIG")
if [ "$data_path" -eq 1 ]; then
  sandbox_args+=(--nodes --nodes-prefix "$prefix")
  [ "$gateway_from_image" -eq 1 ] || sandbox_args+=(--nodes-images=false)
fi
[ "$operator_mode" = "image" ] && sandbox_args+=(--no-operator)
step "starting the sandbox: dotnet $dll ${sandbox_args[*]}"
dotnet "$dll" "${sandbox_args[@]}" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
deadline=$((SECONDS + timeout_s))
until grep -q '^sandbox ready' "$work/sandbox.log"; do
  kill -0 "$sandbox_pid" 2>/dev/null || { wait "$sandbox_pid" || true; sandbox_pid=""; fail "the sandbox exited before it was ready"; }
  [ "$SECONDS" -lt "$deadline" ] || fail "the sandbox was not ready within ${timeout_s}s"
  sleep 0.2
done
grep -E '^(sandbox ready|nodes:)' "$work/sandbox.log" | sed 's/^/    /'

if [ "$operator_mode" = "image" ]; then
  # As on a cluster: the CRDs come from the manifests (make install), the operator from its image.
  step "installing the Subnet CRD as make install does: kubectl apply -k config/crd"
  kubectl apply -k config/crd | sed 's/^/    /' || fail "kubectl apply -k config/crd failed"
  operator_container="${prefix}operator"
  chmod 644 "$KUBECONFIG"
  step "starting the operator from its image: podman run $IMG (host network, read-only, user 1654, no capabilities)"
  podman rm --force --ignore "$operator_container" >/dev/null 2>&1 || true
  podman run --detach --name "$operator_container" --network host --read-only --user 1654:1654 --cap-drop all \
    --security-opt no-new-privileges --volume "$KUBECONFIG:/etc/lboperator/kubeconfig:ro" \
    "$IMG" run --kubeconfig /etc/lboperator/kubeconfig --leader-elect=false --health-port 0 --gateway-image "$GATEWAY_IMG" >/dev/null \
    || fail "podman run $IMG failed"
  retry "the operator container to start reconciling" sh -c "podman logs '$operator_container' 2>&1 | grep -q 'Reconciling.'" >/dev/null
  note "$(podman logs "$operator_container" 2>&1 | grep -m1 -o 'Operator .* starting.*' || true)"
else
  step "waiting for the operator to install the Subnet CRD (subnets.kubeovn.io)"
  retry "the Subnet CRD" kubectl get subnets >/dev/null
fi
retry "the NetworkAttachmentDefinition CRD" kubectl get network-attachment-definitions -A >/dev/null

# --- the seed's manifests, unchanged --------------------------------------------------------------------------
for manifest in nad subnet service deployment; do
  step "applying examples/$manifest.yaml"
  kubectl apply -f "examples/$manifest.yaml" | sed 's/^/    /' || fail "kubectl apply -f examples/$manifest.yaml failed"
done

step "waiting for test-service to get its LoadBalancer address ($lb_ip)"
started=$SECONDS
kubectl wait service/test-service --for=jsonpath='{.status.loadBalancer.ingress[0].ip}'="$lb_ip" --timeout="${timeout_s}s" >/dev/null \
  || fail "test-service did not show EXTERNAL-IP $lb_ip: $(kubectl get service test-service -o jsonpath='{.status}' 2>&1)"
note "EXTERNAL-IP $lb_ip after $((SECONDS - started)) s"

step "waiting for the gateway Deployment lb-svc-test-service and the backends to be available"
retry "the gateway Deployment lb-svc-test-service" kubectl get deployment lb-svc-test-service >/dev/null
for deployment in dynamic lb-svc-test-service; do
  kubectl wait "deployment/$deployment" --for=condition=Available --timeout="${timeout_s}s" >/dev/null \
    || fail "deployment $deployment is not available: $(kubectl get pods -o wide 2>&1)"
done
kubectl wait pods --all --for=condition=Ready --timeout="${timeout_s}s" >/dev/null \
  || fail "not every pod became Ready: $(kubectl get pods -o wide 2>&1)"
note "every pod Ready after $((SECONDS - started)) s"

step "kubectl get svc"
kubectl get svc
step "kubectl get pod"
kubectl get pod
step "kubectl get subnet"
kubectl get subnet
gateway_pod="$(kubectl get pods -l app=lb-svc-test-service -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)"
if [ "$data_path" -eq 1 ] && [ -n "$gateway_pod" ]; then
  step "kubectl describe pod $gateway_pod (its Events: which containers ran from their image)"
  kubectl describe pod "$gateway_pod" | sed -n '/^Events:/,$p' | sed 's/^/    /'
fi

# --- the data path --------------------------------------------------------------------------------------------
if [ "$data_path" -eq 1 ]; then
  step "curl http://$lb_ip:80/ from the client namespace ${prefix}client (outside the cluster)"
  page="$(retry "an answer from http://$lb_ip:80/" \
    dotnet "$dll" exec-client --nodes-prefix "$prefix" -- curl -sS --max-time 5 "http://$lb_ip:80/")"
  printf '%s\n' "$page" | sed 's/^/    /'
  grep -q 'Hello World!' <<<"$page" || fail "the answer from $lb_ip is not the hello-world page"
  backend="$(grep -oE 'I am on +dynamic-[a-z0-9-]+' <<<"$page" | awk '{print $NF}')" \
    || fail "the answer from $lb_ip does not name a dynamic-… backend pod"
  how="its commands run on this machine"
  [ "$gateway_from_image" -eq 1 ] && how="run from $GATEWAY_IMG"
  who="the operator in-process"
  [ "$operator_mode" = "image" ] && who="the operator container from $IMG"
  step "OK: $lb_ip:80 answered from backend pod $backend through the gateway pod $gateway_pod ($how), set up by $who"
else
  step "SKIPPED: the data path (curl http://$lb_ip/ from a client namespace)"
  note "$skip_reason."
  note "The control plane ran: the operator allocated $lb_ip from attach-subnet, created the gateway Deployment"
  note "and set EXTERNAL-IP; the pods above are simulated without network namespaces."
  step "OK: control plane part of the walkthrough done"
fi
