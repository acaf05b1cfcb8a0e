#!/usr/bin/env bash
# Installs the host's tdlint wheel from DIST into a fresh venv, offline, and
# runs the command pip put on PATH: what `pip install tdlint` gives a user.
#   packaging/wheeltest.sh DIST VERSION
set -euo pipefail
dist=$(cd "$1" && pwd)
version=$2
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 -m venv "$tmp/venv"
# pip picks the wheel whose platform tag fits this machine, so the tags are
# checked too; --no-index: nothing comes from the network.
"$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --no-index --find-links "$dist" "tdlint==$version"

export PATH="$tmp/venv/bin:$PATH"
fail() { echo "wheeltest: $*" >&2; exit 1; }

[ "$(command -v tdlint)" = "$tmp/venv/bin/tdlint" ] || fail "tdlint is not the venv's: $(command -v tdlint)"
got=$(tdlint version)
[ "$got" = "tdlint $version" ] || fail "tdlint version says '$got', want 'tdlint $version'"
got=$(tdlint --version)
[ "$got" = "tdlint $version" ] || fail "tdlint --version says '$got', want 'tdlint $version'"
got=$(python -m tdlint version)
[ "$got" = "tdlint $version" ] || fail "python -m tdlint version says '$got'"

# The example has findings: exit 1 and a count, as from a Go build.
set +e
out=$(cd "$root/testdata/example" && tdlint check . 2>&1)
rc=$?
set -e
[ $rc -eq 1 ] || fail "tdlint check on testdata/example exited $rc, want 1:
$out"
grep -Eq '^Found [0-9]+ findings?\.' <<<"$out" || fail "no findings count in:
$out"

# pip's record of the install must list the binary with its hash.
files=$("$tmp/venv/bin/python" -m pip show --files tdlint)
grep -q 'bin/tdlint$' <<<"$files" || fail "pip show --files does not list bin/tdlint:
$files"
# pre-commit's language: python installs the wheel into the hook's own venv,
# no Go: the local hook README.md documents, offline through pip's variables.
if command -v pre-commit >/dev/null; then
  repo="$tmp/repo"
  mkdir -p "$repo"
  cp "$root/testdata/example/weather/"*.py "$repo/"
  cat >"$repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: local
    hooks:
      - id: tdlint
        name: tdlint
        entry: tdlint check --force-exclude
        language: python
        additional_dependencies: ["tdlint==$version"]
        types_or: [python]
        require_serial: true
YAML
  (
    cd "$repo"
    git init -q && git add -A
    set +e
    out=$(PRE_COMMIT_HOME="$tmp/pre-commit" PIP_NO_INDEX=1 PIP_FIND_LINKS="$dist" \
      PATH="${PATH#"$tmp/venv/bin:"}" pre-commit run --all-files 2>&1)
    rc=$?
    set -e
    [ $rc -eq 1 ] && grep -q 'Found [0-9]* finding' <<<"$out" ||
      fail "pre-commit with the wheel exited $rc, want 1 with findings:
$out"
  )
  echo "wheeltest: pre-commit language: python hook from the wheel finds the example's bugs"
elif [ -n "${TDLINT_REQUIRE_PRECOMMIT:-}" ]; then
  fail "pre-commit is not installed"
fi
echo "wheeltest: tdlint $version from its wheel: version, python -m tdlint, check ok"
