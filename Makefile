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
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help
help: ## Show the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

.PHONY: deps
deps: ## Install missing Debian packages the tests need (iproute2, iptables, curl).
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

.PHONY: test-kubectl
test-kubectl: build ## Run only the tests that drive the real kubectl against the sandbox.
	$(DOTNET) test $(TESTS) -c $(CONFIGURATION) --no-build --nologo --filter Category=Kubectl

.PHONY: sandbox
sandbox: ## Run the in-memory Kubernetes API server on :6443 (kubeconfig: ./sandbox.kubeconfig) until Ctrl+C.
	$(DOTNET) run --project $(PROJECT) -c $(CONFIGURATION) -- sandbox --port 6443 --kubeconfig ./sandbox.kubeconfig
