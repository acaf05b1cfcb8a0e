# The one test command (README, .ci/run): vet, lint, then the whole suite with
# the race detector on the concurrent packages.
GOLANGCI_LINT ?= golangci-lint

.PHONY: test lint vet unit race build

test: vet lint unit race

build:
	go build -o bin/tdlint ./cmd/tdlint

vet:
	go vet ./...

lint:
	$(GOLANGCI_LINT) run ./...

unit:
	go test ./...

# The concurrent code: the driver and program model, the CLI, the rules run
# by the driver, and the runtime and language server once they exist.
race:
	go test -race $$(go list ./... | grep -E '/(runtime|analyzer|cmd|rules)(/|$$)')
