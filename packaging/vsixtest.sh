#!/usr/bin/env bash
# Checks the host's VS Code package: it holds bin/tdlint, executable, for its
# target, and the extension's own choice of executable finds and starts it.
#   packaging/vsixtest.sh VSIX
set -euo pipefail
vsix=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "vsixtest: $*" >&2; exit 1; }

(cd "$tmp" && unzip -q "$vsix")
bin="$tmp/extension/bin/tdlint"
[ -f "$bin" ] || fail "$vsix has no extension/bin/tdlint"
[ -x "$bin" ] || fail "extension/bin/tdlint is not executable once unpacked"
target=$(grep -o 'TargetPlatform="[^"]*"' "$tmp/extension.vsixmanifest" | cut -d'"' -f2)
[ -n "$target" ] || fail "the manifest names no target platform"

# The unpacked extension's executable(), as activate() calls it, must pick
# the bundled binary; started, it must answer.
chosen=$(cd "$tmp/extension" && node -e '
  const Module = require("node:module");
  const real = Module._load;
  Module._load = function (r, ...a) { return r === "vscode" || r === "vscode-languageclient/node" ? {} : real.call(this, r, ...a); };
  const { executable } = require("./extension.js");
  process.stdout.write(executable("", process.cwd()));')
[ "$chosen" = "$bin" ] || fail "the extension chose '$chosen', not its bundled $bin"
out=$("$chosen" version) || fail "the bundled tdlint did not start"
echo "vsixtest: $(basename "$vsix") ($target) carries $out and starts it"
