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

race:
	go test -race ./runtime/... ./analyzer/... ./cmd/...
