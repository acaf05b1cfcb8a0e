# The one test command (README, .ci/run): vet, lint, then the whole suite with
# the race detector on the concurrent packages.
GOLANGCI_LINT ?= golangci-lint

.PHONY: test lint vet unit race build vscode

test: vet lint unit race vscode

build:
	go build -o bin/tdlint ./cmd/tdlint

vet:
	go vet ./...

lint:
	$(GOLANGCI_LINT) run ./...

unit:
	go test ./...

# The concurrent code: the driver and program model, the CLI, the rules run
# by the driver, the runtime and the language server (under cmd). The
# agreement test's `tdlint simulate` children are this race build of the test
# binary, and it fails on any race report or crash they print.
race:
	go test -race $$(go list ./... | grep -E '/(runtime|analyzer|cmd|rules)(/|$$)')

# The VS Code extension's unit test (Node's test runner, fakes of VS Code).
vscode:
	cd editors/vscode && npm ci --no-audit --no-fund --ignore-scripts && npm test
