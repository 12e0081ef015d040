# LbOperator: build, test and run targets in the kubebuilder habit.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DOTNET ?= dotnet
CONFIGURATION ?= Release
PROJECT := LbOperator/LbOperator.csproj
TESTS := LbOperator.Tests/LbOperator.Tests.csproj
RESULTS := .artifacts/test-results
LBOP := $(DOTNET) LbOperator/bin/$(CONFIGURATION)/net10.0/LbOperator.dll
SANDBOX_HOST := LbOperator.Sandbox.Host/LbOperator.Sandbox.Host.csproj
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help
help: ## Show the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

.PHONY: deps
deps: ## Install missing Debian packages the tests need (iproute2, iptables, curl, procps, iputils-arping, busybox).
	@hack/ensure-deps.sh

.PHONY: build
build: ## Restore and build everything.
	$(DOTNET) build LbOperator.sln -c $(CONFIGURATION) --nologo -clp:ErrorsOnly

.PHONY: test
test: deps build ## Run every test (unit, sandbox, kubectl and data-path tests; needs root for the last).
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
test-e2e: deps build ## Run only the end-to-end tests (the seed walkthrough through nodes, the published operator; root).
	$(call TEST_LAYER,EndToEnd)

.PHONY: sandbox
sandbox: ## Run the in-memory API server on :6443 with the operator in-process (kubeconfig: ./sandbox.kubeconfig; SANDBOX_ARGS="--nodes" as root) until Ctrl+C.
	$(DOTNET) run --project $(SANDBOX_HOST) -c $(CONFIGURATION) -- --port 6443 --kubeconfig ./sandbox.kubeconfig $(SANDBOX_ARGS)

KUBECTL ?= kubectl
IMG ?=

.PHONY: generate
generate: ## Write the CRDs, RBAC and operator manifests under config/ (IMG=ref sets the operator image).
	$(DOTNET) build $(PROJECT) -c $(CONFIGURATION) --nologo -clp:ErrorsOnly
	$(LBOP) generate --output config $(if $(IMG),--image $(IMG),)

.PHONY: manifests
manifests: generate ## Same as generate (kubebuilder's name for it).

.PHONY: install
install: ## Install the CRDs into the cluster of the current kubeconfig context.
	$(KUBECTL) apply -k config/crd

.PHONY: uninstall
uninstall: ## Remove the CRDs (and with them every Subnet) from the cluster.
	$(KUBECTL) delete -k config/crd --ignore-not-found

.PHONY: deploy
deploy: ## Deploy everything: CRDs, namespace, RBAC and the operator Deployment.
	$(KUBECTL) apply -k config/default

.PHONY: undeploy
undeploy: ## Remove everything deploy created.
	$(KUBECTL) delete -k config/default --ignore-not-found

.PHONY: demo
demo: ## The seed walkthrough end to end: build, sandbox + operator + nodes (root), apply examples/, curl the LB address, clean up.
	@hack/demo.sh

.PHONY: golden
golden: ## Regenerate the gateway golden files (review the diff before committing).
	UPDATE_GOLDEN=1 $(DOTNET) test $(TESTS) -c $(CONFIGURATION) --nologo --filter "FullyQualifiedName~Golden"

.PHONY: test-datapath
test-datapath: deps build ## Run only the data-path tests (root: network namespaces, iptables).
	$(call TEST_LAYER,DataPath)

.PHONY: bench
bench: ## Run the IPAM benchmarks (BenchmarkDotNet, short job, a few minutes) and the retained-memory figures.
	$(DOTNET) build LbOperator.Benchmarks/LbOperator.Benchmarks.csproj -c Release --nologo -clp:ErrorsOnly
	$(DOTNET) LbOperator.Benchmarks/bin/Release/net10.0/LbOperator.Benchmarks.dll --filter '*' $(BENCH_ARGS)
	$(DOTNET) LbOperator.Benchmarks/bin/Release/net10.0/LbOperator.Benchmarks.dll --memory
