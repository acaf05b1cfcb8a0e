# The one test command (README, .ci/run): vet, lint, then the whole suite with
# the race detector on the concurrent packages.
# golangci-lint is pinned (v2.15.0) as a Go tool in its own module file,
# tools/golangci-lint.mod, so that Go alone runs it on a fresh machine and
# its hundred dependencies stay out of tdlint's go.mod (and out of the
# versions `go install github.com/tdlint/tdlint/cmd/tdlint` selects). The
# first run builds it (a few minutes; cached after). Another install:
# make test GOLANGCI_LINT=golangci-lint
GOLANGCI_LINT ?= go tool -modfile=tools/golangci-lint.mod golangci-lint

.PHONY: test lint vet unit race build vscode crosscheck cross wheel wheeltest wine vsix vsixtest release workflows

test: vet crosscheck workflows lint unit race vscode wheeltest wine vsixtest

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

# TouchDesigner runs on Windows and macOS: everything must build for every
# platform a release ships, and vetting for Windows type-checks the test
# files too.
crosscheck:
	GOOS=windows GOARCH=amd64 go vet ./...
	@for p in $(PLATFORMS); do \
	  echo "GOOS=$${p%/*} GOARCH=$${p#*/} go build ./..."; \
	  CGO_ENABLED=0 GOOS=$${p%/*} GOARCH=$${p#*/} go build ./... || exit 1; \
	done

# Release builds for every platform TD users have, plus Linux for CI, into
# dist/<os>-<arch>/. VERSION is a PEP 440 version (it names the wheels too):
# the tag vX.Y.Z when HEAD has one, else 0.0.0.dev0.
VERSION ?= $(shell git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null | sed 's/^v//' || true)
override VERSION := $(or $(VERSION),0.0.0.dev0)
PLATFORMS := windows/amd64 windows/arm64 darwin/arm64 darwin/amd64 linux/amd64 linux/arm64
HOST := $(shell go env GOOS)/$(shell go env GOARCH)
LDFLAGS := -s -w -X main.version=$(VERSION)

cross:
	@for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; exe=tdlint; [ $$os = windows ] && exe=tdlint.exe; \
	  echo "build dist/$$os-$$arch/$$exe"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch go build -trimpath -ldflags '$(LDFLAGS)' \
	    -o dist/$$os-$$arch/$$exe ./cmd/tdlint || exit 1; \
	done

# Python wheels carrying the native binary, as Ruff ships: pip install puts
# tdlint on PATH without Go. PLATFORMS=linux/amd64 builds just one.
wheel: cross
	python3 packaging/wheel.py --version $(VERSION) --dist dist $(PLATFORMS)
	python3 packaging/wheelcheck.py dist/tdlint-$(VERSION)-*.whl

# The host's wheel, installed offline into a fresh venv, must give a working
# tdlint command.
wheeltest:
	$(MAKE) wheel PLATFORMS=$(HOST)
	packaging/wheeltest.sh dist $(VERSION)

# Built for Windows and run under Wine (skipped, saying so, without wine64
# and MinGW): the parser's suite (TestShiftGenerated runs `go`, absent in
# Wine), the config globs, the LSP URI conversion, and tdlint.exe on the
# example against the Linux build (.ci/wine/cli). The analyzer's whole
# suite cannot pass there yet: Wine 8.0 cannot do Go 1.26's os.RemoveAll, so
# every t.TempDir cleanup fails (.ci/wine/run ./analyzer shows it).
wine:
	.ci/wine/run -skip TestShiftGenerated ./pyparse
	.ci/wine/run -run TestPatternsMatchTheOSsOwnPaths ./analyzer
	.ci/wine/run -run 'FileURI|PathToFileURI' ./cmd/tdlint/internal/lsp
	.ci/wine/cli

# The VS Code extension for each platform, carrying its tdlint (vsce, from
# the extension's devDependencies; make vscode installs them).
vsix: cross
	packaging/vsix.sh dist $(PLATFORMS)

# The host's (linux-x64 in CI) package holds the binary and starts it.
vsixtest: vscode
	$(MAKE) vsix PLATFORMS=$(HOST)
	packaging/vsixtest.sh dist/tdlint-vscode-$(subst windows,win32,$(subst amd64,x64,$(subst /,-,$(HOST)))).vsix

# Everything a release attaches: archives, wheels and VSIX files for every
# platform, and SHA256SUMS over them (.github/workflows/release.yml).
release: wheel vsix
	packaging/archive.sh dist $(VERSION) $(PLATFORMS)

# The release and CI workflows, which only GitHub runs: checked here.
ACTIONLINT ?= actionlint
workflows:
	$(ACTIONLINT) .github/workflows/*.yml
