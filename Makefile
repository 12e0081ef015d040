# LbOperator: build, test and run targets in the kubebuilder habit.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DOTNET ?= dotnet
OPERATOR ?= in-process
CONFIGURATION ?= Release
PROJECT := LbOperator/LbOperator.csproj
TESTS := LbOperator.Tests/LbOperator.Tests.csproj
RESULTS := .artifacts/test-results
LBOP := $(DOTNET) LbOperator/bin/$(CONFIGURATION)/net10.0/LbOperator.dll
SANDBOX_HOST := LbOperator.Sandbox.Host/LbOperator.Sandbox.Host.csproj
# The version and the image prefix have one home, Directory.Build.props; every image tag derives from them.
VERSION := $(shell sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
IMAGE_PREFIX := $(shell sed -n 's:.*<LbOperatorImagePrefix>\(.*\)</LbOperatorImagePrefix>.*:\1:p' Directory.Build.props)
IMG ?= $(IMAGE_PREFIX)/lboperator:$(VERSION)
GATEWAY_IMG ?= $(IMAGE_PREFIX)/lboperator-gateway:$(VERSION)
# docker when its daemon answers, podman otherwise (this project's machines have podman and no docker daemon).
CONTAINER_TOOL ?= $(shell if docker info >/dev/null 2>&1; then echo docker; else echo podman; fi)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help
help: ## Show the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

.PHONY: deps
deps: ## Install missing Debian packages (iproute2, iptables, curl, procps, iputils-arping, keepalived, busybox; podman, runc, debootstrap for the images).
	@hack/ensure-deps.sh

.PHONY: build
build: ## Restore and build everything.
	$(DOTNET) build LbOperator.sln -c $(CONFIGURATION) --nologo -clp:ErrorsOnly

.PHONY: test
test: deps build ## Run every test (unit, sandbox, kubectl, data-path and image tests; needs root for the last two).
	@IMG=$(IMG) GATEWAY_IMG=$(GATEWAY_IMG) hack/images.sh --optional all
	@rm -rf $(RESULTS)
	@rc=0; $(DOTNET) test $(TESTS) -c $(CONFIGURATION) --no-build --nologo \
	  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
	  --results-directory $(RESULTS) || rc=$$?; \
	hack/test-summary.sh $(RESULTS)/*.trx; exit $$rc

.PHONY: run
run: build ## Run the operator against the current kubeconfig (more flags: make run RUN_ARGS="--leader-elect=false").
	$(LBOP) run $(RUN_ARGS)

# One target per test layer (every test carries exactly one of these categories; make test runs them all).
TEST_LAYER = $(DOTNET) test $(TESTS) -c $(CONFIGURATION) --no-build --nologo --filter Category=$(1)

.PHONY: test-unit
test-unit: build ## Run only the unit and property tests of the pure parts (no server, no root; well under a minute).
	$(call TEST_LAYER,Unit)

.PHONY: test-sandbox
test-sandbox: build ## Run only the tests against the in-process sandbox API server (operator, framework runtime, sandbox).
	$(call TEST_LAYER,Sandbox)

.PHONY: test-kubectl
test-kubectl: build ## Run only the tests that drive the real kubectl against the sandbox.
	$(call TEST_LAYER,Kubectl)

.PHONY: test-e2e
test-e2e: deps build ## Run only the end-to-end tests (the seed walkthrough through nodes, the operator image, the published operator; root).
	@IMG=$(IMG) GATEWAY_IMG=$(GATEWAY_IMG) hack/images.sh --optional all
	$(call TEST_LAYER,EndToEnd)

.PHONY: sandbox
sandbox: ## Run the in-memory API server on :6443 with the operator in-process (kubeconfig: ./sandbox.kubeconfig; SANDBOX_ARGS="--nodes" as root) until Ctrl+C.
	$(DOTNET) run --project $(SANDBOX_HOST) -c $(CONFIGURATION) -- --port 6443 --kubeconfig ./sandbox.kubeconfig $(SANDBOX_ARGS)

KUBECTL ?= kubectl

.PHONY: generate
generate: ## Write the CRDs, RBAC and operator manifests under config/ (images: IMG, GATEWAY_IMG; default this version's).
	$(DOTNET) build $(PROJECT) -c $(CONFIGURATION) --nologo -clp:ErrorsOnly
	$(LBOP) generate --output config --image $(IMG) --gateway-image $(GATEWAY_IMG)

.PHONY: manifests
manifests: generate ## Same as generate (kubebuilder's name for it).

.PHONY: install
install: ## Install the CRDs into the cluster of the current kubeconfig context (beside Kube-OVN: all but its Subnet CRD, left as it is).
	KUBECTL=$(KUBECTL) hack/crds.sh install

.PHONY: uninstall
uninstall: ## Remove LbOperator's own CRDs (by label; a Subnet CRD LbOperator installed goes with every Subnet, Kube-OVN's stays).
	KUBECTL=$(KUBECTL) hack/crds.sh uninstall

.PHONY: build-installer
build-installer: ## Write dist/install.yaml and dist/install-kube-ovn.yaml (without the Subnet CRD), IMG and GATEWAY_IMG pinned.
	$(DOTNET) build $(PROJECT) -c $(CONFIGURATION) --nologo -clp:ErrorsOnly
	IMG=$(IMG) GATEWAY_IMG=$(GATEWAY_IMG) LBOP="$(LBOP)" KUBECTL=$(KUBECTL) hack/build-installer.sh dist/install.yaml
	IMG=$(IMG) GATEWAY_IMG=$(GATEWAY_IMG) LBOP="$(LBOP)" KUBECTL=$(KUBECTL) TREE=kube-ovn hack/build-installer.sh dist/install-kube-ovn.yaml

.PHONY: deploy
deploy: ## Deploy everything (CRDs, namespace, RBAC, operator Deployment) with IMG and GATEWAY_IMG; beside Kube-OVN without its Subnet CRD.
	$(DOTNET) build $(PROJECT) -c $(CONFIGURATION) --nologo -clp:ErrorsOnly
	tree="$$(KUBECTL=$(KUBECTL) hack/crds.sh tree)" && \
	  IMG=$(IMG) GATEWAY_IMG=$(GATEWAY_IMG) LBOP="$(LBOP)" KUBECTL=$(KUBECTL) TREE="$$tree" hack/build-installer.sh - | $(KUBECTL) apply -f -

.PHONY: undeploy
undeploy: ## Remove everything deploy created, and LbOperator's own CRDs (never Kube-OVN's).
	$(KUBECTL) delete -k config/kube-ovn --ignore-not-found
	KUBECTL=$(KUBECTL) hack/crds.sh uninstall

.PHONY: images
images: deps ## Build the operator (IMG) and gateway (GATEWAY_IMG) images here with podman, no registry (root; cached).
	IMG=$(IMG) GATEWAY_IMG=$(GATEWAY_IMG) hack/images.sh all

.PHONY: docker-build
docker-build: ## Build IMG from ./Dockerfile and GATEWAY_IMG from images/gateway/ (docker, else podman; BASE_IMAGE, SDK_IMAGE, GATEWAY_BASE_IMAGE override the bases).
	$(CONTAINER_TOOL) build -t $(IMG) --build-arg VERSION=$(VERSION) $(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE),) $(if $(SDK_IMAGE),--build-arg SDK_IMAGE=$(SDK_IMAGE),) -f Dockerfile .
	$(CONTAINER_TOOL) build -t $(GATEWAY_IMG) --build-arg VERSION=$(VERSION) $(if $(GATEWAY_BASE_IMAGE),--build-arg BASE_IMAGE=$(GATEWAY_BASE_IMAGE),) -f images/gateway/Dockerfile images/gateway

.PHONY: docker-push
docker-push: ## Push IMG and GATEWAY_IMG.
	$(CONTAINER_TOOL) push $(IMG)
	$(CONTAINER_TOOL) push $(GATEWAY_IMG)

.PHONY: demo
demo: ## The seed walkthrough end to end: sandbox + operator + nodes (root), gateway image, curl the LB address (OPERATOR=image: the operator's image too).
	@IMG=$(IMG) GATEWAY_IMG=$(GATEWAY_IMG) OPERATOR=$(OPERATOR) hack/demo.sh

.PHONY: golden
golden: ## Regenerate the gateway golden files (review the diff before committing).
	UPDATE_GOLDEN=1 $(DOTNET) test $(TESTS) -c $(CONFIGURATION) --nologo --filter "FullyQualifiedName~Golden"

.PHONY: test-datapath
test-datapath: deps build ## Run only the data-path tests (root: network namespaces, iptables; the gateway image).
	@IMG=$(IMG) GATEWAY_IMG=$(GATEWAY_IMG) hack/images.sh --optional gateway
	$(call TEST_LAYER,DataPath)

.PHONY: bench
bench: ## Run the IPAM benchmarks (BenchmarkDotNet, short job, a few minutes) and the retained-memory figures.
	$(DOTNET) build LbOperator.Benchmarks/LbOperator.Benchmarks.csproj -c Release --nologo -clp:ErrorsOnly
	$(DOTNET) LbOperator.Benchmarks/bin/Release/net10.0/LbOperator.Benchmarks.dll --filter '*' $(BENCH_ARGS)
	$(DOTNET) LbOperator.Benchmarks/bin/Release/net10.0/LbOperator.Benchmarks.dll --memory

N ?= 1000

.PHONY: bench-scale
bench-scale: ## Time the operator serving N LoadBalancer Services (N ?= 1000) against a floor, count its API requests, restart it (SCALE_ARGS="--workers 8 --json f").
	$(DOTNET) build $(SANDBOX_HOST) -c Release --nologo -clp:ErrorsOnly
	$(DOTNET) build $(PROJECT) -c Release --nologo -clp:ErrorsOnly
	$(DOTNET) build LbOperator.Benchmarks/LbOperator.Benchmarks.csproj -c Release --nologo -clp:ErrorsOnly
	$(DOTNET) LbOperator.Benchmarks/bin/Release/net10.0/LbOperator.Benchmarks.dll scale --services $(N) $(SCALE_ARGS)

.PHONY: bench-failover
bench-failover: deps ## Measure a gateway's dark time around node crashes, pod deletions, freezes and rollouts, 1 and 2 replicas (root; FAILOVER_ARGS="--runs 20 --json f", "--sandbox" adds the series through Kubernetes).
	$(DOTNET) build $(SANDBOX_HOST) -c Release --nologo -clp:ErrorsOnly
	$(DOTNET) build LbOperator.Benchmarks/LbOperator.Benchmarks.csproj -c Release --nologo -clp:ErrorsOnly
	$(DOTNET) LbOperator.Benchmarks/bin/Release/net10.0/LbOperator.Benchmarks.dll failover $(FAILOVER_ARGS)
